/** Test support shared by the modules' suites: {@link io.jask.testing.AllSchedulers}. */
package io.jask.testing;
