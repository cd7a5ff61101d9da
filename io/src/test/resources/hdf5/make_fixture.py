"""Writes fixture.h5 with h5py (run: /usr/bin/python3 make_fixture.py). Hdf5Test reads it back and
checks every element against the same formulas, so the reader is tested against the reference
HDF5 library's files, with and without compression."""
import h5py
import numpy as np

with h5py.File("fixture.h5", "w") as f:
    a = np.arange(7 * 5, dtype="f8").reshape(7, 5) + 0.5
    a[2, 3] = np.nan
    f.create_dataset("f64", data=a, chunks=(3, 2), compression="gzip")
    f.create_dataset("grp/sub/i32", data=np.arange(11, dtype="i4") * -3, chunks=(4,))
    f.create_dataset("i16", data=(np.arange(12, dtype="i2") - 6).reshape(3, 4))
    f.create_dataset("f32", data=np.arange(24, dtype="f4").reshape(2, 3, 4) / 4, chunks=(1, 2, 4), shuffle=True,
                     compression="gzip")
    f.create_dataset("i64", data=np.arange(6, dtype="i8").reshape(2, 3) * 10**12)
    f.create_dataset("text", data=np.array([b"a", b"b"]))
    f.create_dataset("scalar", data=3.0)
