package org.elves.config;

/**
 * A configuration problem that the caller cannot work around: a missing required key, a value
 * of the wrong type, an unreadable file or an unreachable ZooKeeper. The message always names
 * the key, file or node involved, and never contains a secret value.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
