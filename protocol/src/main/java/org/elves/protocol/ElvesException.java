package org.elves.protocol;

/** A failure with a code of the reference's table; components turn it into {@code [code]Value}. */
public class ElvesException extends RuntimeException {
    private final ErrorCode code;

    public ElvesException(ErrorCode code) {
        this(code, null);
    }

    public ElvesException(ErrorCode code, String detail) {
        super(code.text(detail));
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
