package org.elves.standalone;

import org.elves.apps.AppInstaller;
import org.elves.protocol.FilePaths;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An example app as the package an admin would upload: the zip of what {@link AppInstaller}
 * installs by hand (the app's files and its SDK entry, at the zip's top level), its version from
 * the example's VERSION file, and the zip's SHA-256.
 */
record ExamplePackage(String app, String version, byte[] zip, String sha256) {
    /**
     * Every entry gets this time, in the zip's time-zone-less DOS form: the same example files
     * make the same bytes, so a restart finds the package it uploaded before and uploads nothing.
     */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2017, 5, 30, 0, 0);

    static ExamplePackage of(String app) throws IOException {
        Path dir = Files.createTempDirectory("elves-example-" + app);
        try {
            Path installed = AppInstaller.installExample(app, dir);
            String version = Files.readString(installed.resolve("VERSION"), StandardCharsets.UTF_8).strip();
            byte[] zip = zip(installed);
            return new ExamplePackage(app, version, zip, sha256(zip));
        } finally {
            deleteTree(dir);
        }
    }

    /** The directory's files, sorted by name, at the zip's top level (the examples have no subdirectories). */
    private static byte[] zip(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(FilePaths.name(file));
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
