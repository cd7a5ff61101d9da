/**
 * Reading and writing text files one partition at a time: globbing, splitting files into byte
 * ranges at line boundaries, gzip, JSON lines. Nothing here knows a scheduler: each function reads
 * or writes one partition and is called inside a task.
 *
 * <p>These belong to the {@code io} module of {@code ARCHITECTURE.md}; they live here until that
 * module exists, in a package that depends on no engine class.
 */
package io.jask.bag.io;
