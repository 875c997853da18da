//! Fresh BIFF8 workbooks.
