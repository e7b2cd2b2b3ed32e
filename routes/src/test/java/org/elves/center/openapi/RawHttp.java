package org.elves.center.openapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, one request per connection: java.net.http refuses to send what
 * an attacker would (CR, LF, NUL or raw bytes in the request line, broken header values).
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** The response to exactly these bytes; the server closes the connection (Connection: close). */
    Reply send(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before reading a huge request to its end
            }
            return Reply.parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // a reset after the answer (the server closed with our unread bytes pending) ends it too
        }
        return bytes.toByteArray();
    }

    /** A response: status, the header block as text, and the body (de-chunked). */
    record Reply(int status, String head, String body) {
        static Reply parse(byte[] raw) {
            String all = new String(raw, StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            if (!all.startsWith("HTTP/1.") || end < 0) {
                return new Reply(-1, all, "");
            }
            String head = all.substring(0, end);
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(Integer.parseInt(head.substring(9, 12)), head, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (i < chunked.length) {
                int lineEnd = indexOfCrlf(chunked, i);
                if (lineEnd < 0) {
                    break;
                }
                String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int n = Integer.parseInt(size, 16);
                if (n == 0) {
                    break;
                }
                out.write(chunked, lineEnd + 2, n);
                i = lineEnd + 2 + n + 2;
            }
            return out.toByteArray();
        }

        private static int indexOfCrlf(byte[] b, int from) {
            for (int i = from; i + 1 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
