//! Reading what users give: labeled CSV for training and evaluation, articles to classify.

pub mod atomic;
pub mod data;
pub mod input;
pub mod label_check;
