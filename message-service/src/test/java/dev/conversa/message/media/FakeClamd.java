package dev.conversa.message.media;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny clamd for the tests: a real TCP server speaking the {@code INSTREAM} command (clamd itself cannot run on
 * the build machines: it needs a virus database that only its own download servers hand out). It reports
 * {@code Eicar-Test-Signature FOUND} for content holding the EICAR test string, {@code OK} otherwise.
 */
final class FakeClamd implements AutoCloseable {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile int scans;

    FakeClamd() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    int scans() {
        return scans;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            byte[] command = in.readNBytes(ClamdProtocol.COMMAND.length);
            if (!new String(command, StandardCharsets.US_ASCII).equals("zINSTREAM\0")) {
                out.write("UNKNOWN COMMAND\0".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            for (int length = in.readInt(); length > 0; length = in.readInt()) {
                file.write(in.readNBytes(length));
            }
            scans++;
            boolean infected = file.toString(StandardCharsets.ISO_8859_1).contains(EICAR);
            out.write((infected ? "stream: Eicar-Test-Signature FOUND\0" : "stream: OK\0")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
