package io.jask.engine.distributed.comm;

import java.io.Serializable;

/** A small test header. */
record Op(String name, int seq) implements Serializable {}
