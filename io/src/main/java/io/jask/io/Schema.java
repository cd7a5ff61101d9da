package io.jask.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Column names and types, in order: what a partition looks like without computing it.
 *
 * <pre>{@code
 * Schema s = Schema.of(List.of("id", "x"), List.of(DType.LONG, DType.DOUBLE));
 * s.type("x");                 // DOUBLE
 * s.select(List.of("x"));      // x: DOUBLE
 * Table empty = s.emptyTable();
 * }</pre>
 *
 * @param names the column names, unique
 * @param types the type of each column, same length as {@code names}
 */
public record Schema(List<String> names, List<DType> types) implements Serializable {

  public Schema {
    names = List.copyOf(names);
    types = List.copyOf(types);
    if (names.size() != types.size()) {
      throw new IllegalArgumentException(names.size() + " names but " + types.size() + " types");
    }
    if (new java.util.HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("duplicate column names in " + names);
    }
  }

  /** A schema of these names and types. */
  public static Schema of(List<String> names, List<DType> types) {
    return new Schema(names, types);
  }

  /** The schema of a Tablesaw table. */
  public static Schema of(Table table) {
    List<String> n = new ArrayList<>();
    List<DType> t = new ArrayList<>();
    for (Column<?> c : table.columns()) {
      n.add(c.name());
      t.add(DType.of(c));
    }
    return new Schema(n, t);
  }

  /** The number of columns. */
  public int size() {
    return names.size();
  }

  /** The position of a column; fails naming the known columns when it is absent. */
  public int indexOf(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown column '" + name + "'; columns are " + names);
    }
    return i;
  }

  /** Whether the column exists. */
  public boolean has(String name) {
    return names.contains(name);
  }

  /** The type of a column; fails naming the known columns when it is absent. */
  public DType type(String name) {
    return types.get(indexOf(name));
  }

  /** The schema of the given columns, in the given order. */
  public Schema select(List<String> columns) {
    List<DType> t = new ArrayList<>();
    for (String c : columns) {
      t.add(type(c));
    }
    return new Schema(columns, t);
  }

  /** This schema with a column added at the end, or replaced in place if it exists. */
  public Schema with(String name, DType type) {
    List<String> n = new ArrayList<>(names);
    List<DType> t = new ArrayList<>(types);
    int i = n.indexOf(name);
    if (i >= 0) {
      t.set(i, type);
    } else {
      n.add(name);
      t.add(type);
    }
    return new Schema(n, t);
  }

  /** An empty Tablesaw table with these columns. */
  public Table emptyTable() {
    Table t = Table.create("");
    for (int i = 0; i < names.size(); i++) {
      t.addColumns(types.get(i).tablesaw().create(names.get(i)));
    }
    return t;
  }

  /** Fails unless {@code table} has exactly these columns and types, naming the difference. */
  public void check(Table table, String what) {
    Schema actual = of(table);
    if (!actual.equals(this)) {
      throw new IllegalStateException(what + " has columns " + actual + " but " + this + " was declared");
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < names.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(names.get(i)).append(": ").append(types.get(i));
    }
    return b.append(']').toString();
  }
}
