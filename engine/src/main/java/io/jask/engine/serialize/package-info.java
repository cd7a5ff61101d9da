/**
 * How Jask values travel between threads, processes and machines.
 *
 * <p>{@link io.jask.engine.serialize.Serialization} turns any value into an {@link
 * io.jask.engine.serialize.Encoded}: the name of the codec that produced it and one or more frames.
 * Codecs are plug-ins ({@link io.jask.engine.serialize.ValueCodec}, found with {@link
 * java.util.ServiceLoader}): {@code dataframe} contributes Arrow IPC for Tablesaw tables, {@code
 * array} raw buffers for ND4J arrays. Everything else goes through Kryo, including serializable
 * lambdas, records, JDK immutable collections and exceptions.
 *
 * <pre>{@code
 * Serialization s = Serialization.get();
 * Encoded e = s.encode(List.of(1, 2, 3));          // codec "kryo", one frame
 * List<Integer> back = (List<Integer>) s.decode(e);
 * }</pre>
 *
 * <p>Frames are sent as they are (large buffers are never copied into a header); {@link
 * io.jask.engine.serialize.Frames} packs them into one array where a single blob is needed.
 */
package io.jask.engine.serialize;
