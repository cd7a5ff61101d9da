/** The CSV kernels behind {@link io.jask.io.CsvReader}: byte scanning, column builders, reading ranges. */
package io.jask.io.internal;
