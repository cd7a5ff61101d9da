package io.jask.engine.distributed.comm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A plain blocking socket that speaks the {@link Handshake} greeting by hand, for tests that send
 * raw bytes past it (or fail it on purpose).
 */
final class RawPeer implements AutoCloseable {

  final Socket socket;
  final OutputStream out;
  final DataInputStream in;

  RawPeer(String address) throws IOException {
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Recorder.SAFETY_SECONDS));
    socket.setSoLinger(true, 0);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  /** The greeting of a peer without a token (flags 0) or with one (flags 1), nonce all zero. */
  static byte[] hello(int flags) {
    return ByteBuffer.allocate(Handshake.HELLO)
        .putInt(Handshake.MAGIC)
        .put(Handshake.VERSION)
        .put((byte) flags)
        .put(new byte[Handshake.NONCE])
        .array();
  }

  /** Sends a token-less greeting and reads the server's; returns the server's flags byte. */
  int greet() throws IOException {
    out.write(hello(0));
    out.flush();
    byte[] theirs = new byte[Handshake.HELLO];
    in.readFully(theirs);
    return theirs[5];
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads until the server closes; true if it did within the safety timeout. */
  boolean closedByPeer() throws IOException {
    InputStream s = socket.getInputStream();
    byte[] sink = new byte[8192];
    try {
      while (s.read(sink) >= 0) {
        // drain
      }
      return true;
    } catch (java.net.SocketException e) {
      return true; // reset by the peer
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
