package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import io.jask.io.ParquetCompression;
import io.jask.io.ParquetFiles;
import java.nio.file.Path;
import tech.tablesaw.api.Table;

/**
 * Writes one partition as a Parquet file (temporary name, then rename; see {@link ParquetFiles#write}).
 *
 * @param path the target file
 * @param compression the codec
 * @param rowGroupRows the most rows in one row group
 */
public record ParquetWrite(String path, ParquetCompression compression, int rowGroupRows) implements TaskFn {
  @Override
  public Object apply(Object[] args) {
    return ParquetFiles.write((Table) args[0], Path.of(path), compression, rowGroupRows).toString();
  }
}
