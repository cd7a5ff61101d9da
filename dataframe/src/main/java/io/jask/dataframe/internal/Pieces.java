package io.jask.dataframe.internal;

import io.jask.engine.Parted;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The output of a shuffle's split task: one table per output partition. It stays where it was
 * computed; output task {@code j} receives only part {@code j} (a Tablesaw table, which travels
 * between processes as Arrow IPC), through a {@link io.jask.engine.KeyPart} dependency.
 *
 * @param tables the rows for each output partition, in output order
 */
public record Pieces(List<Table> tables) implements Parted {
  @Override
  public int parts() {
    return tables.size();
  }

  @Override
  public Object part(int i) {
    return tables.get(i);
  }
}
