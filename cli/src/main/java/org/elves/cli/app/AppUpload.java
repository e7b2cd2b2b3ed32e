package org.elves.cli.app;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** {@code elves app upload --app APP --version V FILE.zip}: one version of an app, checked and sent with its SHA-256. */
@Command(name = "upload", description = {
        "Upload a version of an app: FILE must be a zip archive of the app's directory. The SHA-256 of the file "
                + "goes along so the center can check what arrived.",
        "Uploading does not change what agents run: 'elves app deploy --version V' does."})
public final class AppUpload extends AppSubcommand {
    static final String PATH = "/api/v2/admin/app/upload";
    /** A zip of some MB over a slow link: more than the bookkeeping calls get. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App id.")
    String app;

    @Option(names = "--version", required = true, paramLabel = "VERSION",
            description = "Version name: letters, digits, '.' and '-', e.g. 1.0.2.")
    String version;

    @Parameters(index = "0", paramLabel = "FILE.zip", description = "The app as a zip archive.")
    Path file;

    private byte[] body;
    private String sha256;

    @Override
    protected void check() {
        app = AdminArgs.checkApp(app);
        version = checkVersion(version);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() == 0) {
                throw new IllegalArgumentException(file + " is an empty zip archive");
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + " is not a zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        sha256 = sha256(body);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    protected int run(ElvesApiClient client) throws InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app", app);
        params.put("version", version);
        params.put("sha256", sha256);
        AppUploader uploader = new AppUploader(ApiTarget.resolve(apiOptions, env()));
        ApiResponse response = uploader.post(PATH, params, body, "application/zip", UPLOAD_TIMEOUT);
        if (!response.answered()) {
            throw new ApiFailure(EXIT_NO_ANSWER, "no answer: " + response.noAnswerReason());
        }
        if (!response.ok()) {
            throw new ApiFailure(EXIT_API_ERROR, response.error());
        }
        JsonNode result = response.result();
        if (json) {
            printJson(result);
        } else {
            out().println("uploaded " + app + " " + version + " (" + body.length + " bytes, sha256 " + sha256 + ")");
            out().flush();
        }
        return EXIT_OK;
    }
}
