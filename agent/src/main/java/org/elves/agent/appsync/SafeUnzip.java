package org.elves.agent.appsync;

import org.elves.agent.appsync.PackageFetcher.PackageException;
import org.elves.agent.runner.InstalledApps;
import org.elves.protocol.FilePaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a verified package into an empty directory, refusing what could write outside it or
 * fill the disk: absolute names, {@code ..} segments, backslashes, symbolic links (as the unix
 * mode in the zip's central directory says), duplicate names, and more than a total number of
 * bytes. The execute bits of a unix-made entry are kept, and a top-level {@code app-worker}
 * binary is made executable in any case.
 */
final class SafeUnzip {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CEN_SIGNATURE = 0x02014b50;
    private static final int UNIX_HOST = 3;
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_LINK = 0120000;
    private static final int MAX_ENTRIES = 100_000;

    private SafeUnzip() {
    }

    /**
     * @param target   an existing empty directory
     * @param maxBytes the most bytes all the files together may take
     * @throws PackageException naming the first thing refused
     */
    static void extract(Path zip, Path target, long maxBytes) throws PackageException {
        Map<String, Integer> modes = unixModes(zip);
        long total = 0;
        int entries = 0;
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> all = file.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (++entries > MAX_ENTRIES) {
                    throw new PackageException("bad package: more than " + MAX_ENTRIES + " zip entries");
                }
                String name = e.getName();
                Path dest = destination(target, name);
                Integer mode = modes.get(name);
                if (mode != null && (mode & TYPE_MASK) == TYPE_LINK) {
                    throw new PackageException("bad package: zip entry [" + name + "] is a symbolic link");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                Files.createDirectories(FilePaths.parent(dest));
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    throw new PackageException("bad package: zip entry [" + name + "] appears twice");
                }
                try (InputStream in = file.getInputStream(e);
                     OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw new PackageException("bad package: unpacks to more than " + maxBytes + " bytes");
                        }
                        out.write(buf, 0, n);
                    }
                }
                // the binary entry runs as it is, also from a zip made where there are no modes
                boolean binary = name.equals(InstalledApps.BINARY_ENTRY);
                if (binary || mode != null && (mode & 0100) != 0) {
                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(dest);
                    p.add(PosixFilePermission.OWNER_EXECUTE);
                    if (mode != null && (mode & 0010) != 0) {
                        p.add(PosixFilePermission.GROUP_EXECUTE);
                    }
                    if (mode != null && (mode & 0001) != 0) {
                        p.add(PosixFilePermission.OTHERS_EXECUTE);
                    }
                    Files.setPosixFilePermissions(dest, p);
                }
            }
        } catch (ZipException e) {
            throw new PackageException("bad package: not a readable zip (" + e.getMessage() + ")");
        } catch (IOException | IllegalArgumentException e) {
            throw new PackageException("bad package: cannot unpack (" + e + ")");
        }
        if (entries == 0) {
            throw new PackageException("bad package: the zip holds no files");
        }
    }

    /** Where an entry goes; refuses every name that is not a plain relative path inside target. */
    static Path destination(Path target, String name) throws PackageException {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.length() > 1 && name.charAt(1) == ':';
        if (!bad) {
            for (String segment : name.split("/")) {
                if (segment.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        Path dest = bad ? null : target.resolve(name).normalize();
        if (dest == null || !dest.startsWith(target) || dest.equals(target) && !name.endsWith("/")) {
            throw new PackageException("bad package: zip entry [" + name + "] would be written outside the app"
                    + " directory");
        }
        return dest;
    }

    /**
     * The unix modes of the entries made on unix, from the zip's central directory (ZipFile does
     * not expose them). Entries of other hosts are absent.
     */
    private static Map<String, Integer> unixModes(Path zip) throws PackageException {
        Map<String, Integer> modes = new HashMap<>();
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 65_535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, end, size - tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == EOCD_SIGNATURE) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw new PackageException("bad package: not a zip (no end of central directory)");
            }
            long cdSize = Integer.toUnsignedLong(end.getInt(eocd + 12));
            long cdOffset = Integer.toUnsignedLong(end.getInt(eocd + 16));
            if (cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
                // zip64 would need its extra records read to find the modes; packages are far
                // below 4 GiB, so a zip64 archive is refused rather than unpacked unchecked
                throw new PackageException("bad package: zip64 archives are not accepted");
            }
            if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
                throw new PackageException("bad package: not a readable zip (central directory out of bounds)");
            }
            ByteBuffer cd = ByteBuffer.allocate((int) cdSize).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, cd, cdOffset);
            int p = 0;
            while (p + 46 <= cdSize && cd.getInt(p) == CEN_SIGNATURE) {
                int madeBy = Short.toUnsignedInt(cd.getShort(p + 4));
                int nameLength = Short.toUnsignedInt(cd.getShort(p + 28));
                int extraLength = Short.toUnsignedInt(cd.getShort(p + 30));
                int commentLength = Short.toUnsignedInt(cd.getShort(p + 32));
                int external = cd.getInt(p + 38);
                if (p + 46 + nameLength > cdSize) {
                    break;
                }
                byte[] nameBytes = new byte[nameLength];
                cd.get(p + 46, nameBytes);
                if ((madeBy >>> 8) == UNIX_HOST) {
                    modes.put(new String(nameBytes, StandardCharsets.UTF_8), external >>> 16);
                }
                p += 46 + nameLength + extraLength + commentLength;
            }
        } catch (IOException e) {
            throw new PackageException("bad package: cannot read the zip (" + e.getMessage() + ")");
        }
        return modes;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
        buf.flip();
    }
}
