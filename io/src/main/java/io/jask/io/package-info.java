/**
 * Files and formats, one partition at a time: {@link io.jask.io.FileGlob} expands sorted globs,
 * {@link io.jask.io.Blocks} splits a file into byte ranges at line boundaries, and {@link
 * io.jask.io.CsvReader} parses one range of a CSV file into a Tablesaw {@code Table}, parsing only
 * the projected columns; {@link io.jask.io.Hdf5} reads and writes HDF5 datasets block by block
 * (hyperslabs as flat primitive arrays). This package knows no scheduler: collections such as {@code DFrame} turn
 * each block into one task.
 */
package io.jask.io;
