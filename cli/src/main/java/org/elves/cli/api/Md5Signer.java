package org.elves.cli.api;

import org.elves.protocol.ApiSignature;

import java.util.Map;

/**
 * The reference's MD5 signature, computed by the protocol module so client and server agree; for
 * an original Elves center ({@code --sign-type md5}). No nonce: no replay protection.
 */
public final class Md5Signer implements RequestSigner {
    public static final Md5Signer INSTANCE = new Md5Signer();

    private Md5Signer() {
    }

    @Override
    public String type() {
        return "MD5";
    }

    @Override
    public String sign(String path, Map<String, String> params, String key) {
        return ApiSignature.sign(path, params, key);
    }
}
