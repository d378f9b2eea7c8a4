//! Compressed sparse row matrix, usable as linfa `Records`.

/// A sparse row: sorted unique column indices and their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseRow {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

/// A CSR matrix of `f32` with `u32` column indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsrMatrix {
    /// Row `i` occupies `indices[indptr[i]..indptr[i + 1]]`.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
    /// Number of columns.
    pub ncols: usize,
}

impl CsrMatrix {
    /// An empty matrix with `ncols` columns.
    pub fn new(ncols: usize) -> Self {
        CsrMatrix {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            ncols,
        }
    }

    /// Build from rows.
    pub fn from_rows(rows: impl IntoIterator<Item = SparseRow>, ncols: usize) -> Self {
        let mut m = CsrMatrix::new(ncols);
        for r in rows {
            m.push(&r);
        }
        m
    }

    /// Build from rows held in memory, each array allocated once at its final size.
    pub fn from_row_vec(rows: &[SparseRow], ncols: usize) -> Self {
        let nnz: usize = rows.iter().map(|r| r.indices.len()).sum();
        let mut m = CsrMatrix {
            indptr: Vec::with_capacity(rows.len() + 1),
            indices: Vec::with_capacity(nnz),
            values: Vec::with_capacity(nnz),
            ncols,
        };
        m.indptr.push(0);
        for r in rows {
            m.push(r);
        }
        m
    }

    /// Append a row; its indices must be below `ncols`.
    pub fn push(&mut self, row: &SparseRow) {
        debug_assert!(row.indices.iter().all(|&i| (i as usize) < self.ncols));
        self.indices.extend_from_slice(&row.indices);
        self.values.extend_from_slice(&row.values);
        self.indptr.push(self.indices.len());
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Row `i` as (indices, values).
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// A new matrix of the selected rows, in the given order.
    pub fn select(&self, rows: &[usize]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.ncols);
        for &i in rows {
            let (ix, v) = self.row(i);
            m.indices.extend_from_slice(ix);
            m.values.extend_from_slice(v);
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// Dense copy (for tests against linfa's dense models).
    pub fn to_dense(&self) -> ndarray::Array2<f64> {
        let mut a = ndarray::Array2::zeros((self.nrows(), self.ncols));
        for i in 0..self.nrows() {
            let (ix, v) = self.row(i);
            for (&j, &x) in ix.iter().zip(v) {
                a[[i, j as usize]] += x as f64;
            }
        }
        a
    }
}

impl linfa::dataset::Records for CsrMatrix {
    type Elem = f32;
    fn nsamples(&self) -> usize {
        self.nrows()
    }
    fn nfeatures(&self) -> usize {
        self.ncols
    }
}
