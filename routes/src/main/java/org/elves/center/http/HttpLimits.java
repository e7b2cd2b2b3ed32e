package org.elves.center.http;

import org.elves.config.ElvesConfig;

/**
 * What one HTTP request may carry. Line and headers are refused by Vert.x past their limit (414,
 * 431); a body past {@code maxBodyBytes} by the body handler. A package upload is the one body
 * allowed up to the Supervisor's package limit; every other path is refused past
 * {@code maxApiBodyBytes} on its Content-Length, before the body is read into memory.
 */
public record HttpLimits(int maxLineBytes, int maxHeaderBytes, int maxFormFieldBytes, long maxApiBodyBytes,
                         long maxBodyBytes, String uploadPath) {

    /** The path whose body is a package. */
    public static final String UPLOAD_PATH = "/api/v2/admin/app/upload";
    /** Room around a package for the upload's form or query. */
    private static final long UPLOAD_MARGIN = 64 * 1024;

    public static HttpLimits of(ElvesConfig config) {
        long packageBytes = config.getLong("elves.supervisor.max-package-bytes", 64L * 1024 * 1024);
        long apiBody = config.getLong("elves.http.max-body-bytes", 1024 * 1024);
        return new HttpLimits(
                config.getInt("elves.http.max-line-bytes", 64 * 1024),
                config.getInt("elves.http.max-header-bytes", 64 * 1024),
                config.getInt("elves.http.max-form-field-bytes", 64 * 1024),
                apiBody,
                Math.max(apiBody, packageBytes + UPLOAD_MARGIN),
                UPLOAD_PATH);
    }

    /** The largest body a request to this path may declare. */
    long bodyLimit(String path) {
        return uploadPath.equals(path) ? maxBodyBytes : maxApiBodyBytes;
    }
}
