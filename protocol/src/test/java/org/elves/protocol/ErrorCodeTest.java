package org.elves.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ErrorCodeTest {

    @Test
    void textIsTheReferenceFormatAndParsesBack() {
        assertEquals("[403.1]Request Params (ip) Illegal", ErrorCode.PARAM_IP.text());
        assertEquals("[414.1]Agent Info Not Found: 10.0.0.1", ErrorCode.AGENT_NOT_FOUND.text("10.0.0.1"));
        assertEquals(ErrorCode.SEND_JOB_FAIL, ErrorCode.ofText("[410.1]Send Job To Agent Fail: refused"));
        assertNull(ErrorCode.ofText("plain text"));
    }

    @Test
    void httpStatusIsTheIntegerPart() {
        assertEquals(401, ErrorCode.SIGN_ERROR.httpStatus());
        assertEquals(403, ErrorCode.PARAM_REPEATED.httpStatus());
        assertEquals(500, ErrorCode.INTERNAL.httpStatus());
    }

    @Test
    void idsAreSixteenHex() {
        String id = TaskIds.next();
        assertEquals(16, id.length());
        assertEquals(true, TaskIds.isValid(id));
        assertEquals(false, TaskIds.isValid("xyz"));
    }
}
