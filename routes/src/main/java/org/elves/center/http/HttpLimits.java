package org.elves.center.http;

import org.elves.config.ElvesConfig;

/**
 * What one HTTP request may carry ({@code elves.http.*}). Line and headers past their limit are
 * refused by Netty's decoder, a body past {@code maxBodyBytes} by the body handler. A package
 * upload is the one body allowed up to {@code elves.http.max-upload-bytes} (the Supervisor checks
 * the package's own limit); every other path is refused past {@code maxApiBodyBytes} on its
 * Content-Length, before the body is read into memory. At most {@code workerThreads} requests are
 * served at once (each holds a thread until its answer); more wait for one.
 */
public record HttpLimits(int maxLineBytes, int maxHeaderBytes, int maxFormFieldBytes, long maxApiBodyBytes,
                         long maxBodyBytes, String uploadPath, int workerThreads) {

    /** The path whose body is a package. */
    public static final String UPLOAD_PATH = "/api/v2/admin/app/upload";

    public static HttpLimits of(ElvesConfig config) {
        long apiBody = config.requireLong("elves.http.max-body-bytes");
        return new HttpLimits(
                config.requireInt("elves.http.max-line-bytes"),
                config.requireInt("elves.http.max-header-bytes"),
                config.requireInt("elves.http.max-form-field-bytes"),
                apiBody,
                Math.max(apiBody, config.requireLong("elves.http.max-upload-bytes")),
                UPLOAD_PATH,
                config.requireInt("elves.http.worker-threads"));
    }

    /** The largest body a request to this path may declare. */
    long bodyLimit(String path) {
        return uploadPath.equals(path) ? maxBodyBytes : maxApiBodyBytes;
    }
}
