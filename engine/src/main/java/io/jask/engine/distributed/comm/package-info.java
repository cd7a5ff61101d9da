/**
 * Transport layer of the distributed scheduler, after {@code distributed.comm}: point-to-point
 * {@link io.jask.engine.distributed.comm.Connection}s that carry {@link
 * io.jask.engine.distributed.comm.Message}s (a small header object plus large binary buffers).
 *
 * <p>Two transports, chosen by the address scheme:
 *
 * <ul>
 *   <li>{@code tcp://host:port}: Netty NIO sockets. Each message is one length-prefixed frame
 *       holding a frame count, the frame lengths, the header bytes (serialized by a {@link
 *       io.jask.engine.distributed.comm.HeaderCodec}) and then each buffer, sent without copying
 *       it into the header.
 *   <li>{@code tls://host:port}: the same inside TLS ({@link
 *       io.jask.engine.distributed.comm.CommSecurity}: PEM certificate, key and CA, optionally
 *       mutual).
 *   <li>{@code inproc://name}: in this JVM, no serialization; the receiver gets the very {@code
 *       Message} object that was sent. Used for fast tests of the scheduler and workers.
 * </ul>
 *
 * <p>Everything starts at {@link io.jask.engine.distributed.comm.Comms}:
 *
 * <pre>{@code
 * try (Listener l = Comms.listen("tcp://127.0.0.1:0", c -> c.setHandler((conn, m) -> conn.send(m)), codec);
 *      Connection c = Comms.connect(l.address(), Duration.ofSeconds(5), codec)) {
 *   c.setHandler((conn, reply) -> System.out.println(reply.header()));
 *   c.send(Message.of(new Ping(1))).join();
 * }
 * }</pre>
 *
 * <p>The pipeline of a TCP channel is made of small handlers, each tested alone: {@code
 * SslHandler} (for {@code tls://}), {@code FlushConsolidationHandler} (write batching), {@code
 * Handshake} (greeting and token challenge-response; nothing passes it before it succeeds, then it
 * removes itself), {@code FrameDecoder} (outer framing and the frames inside a message, read
 * straight into the message's buffers) / {@code LengthFieldPrepender} and {@code MessageEncoder},
 * and {@code ChannelConnection} (dispatch to the {@link
 * io.jask.engine.distributed.comm.MessageHandler}).
 */
package io.jask.engine.distributed.comm;
