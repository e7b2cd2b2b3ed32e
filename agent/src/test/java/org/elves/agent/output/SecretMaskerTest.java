package org.elves.agent.output;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SecretMaskerTest {

    @Test
    void paramValuesAreMaskedAtAnyDepthAndNumbersAsText() {
        SecretMasker m = SecretMasker.of(List.of("password", "token"),
                "{\"db\": {\"user\": \"ann\", \"Password\": \"hunter22\"}, \"list\": [{\"token\": 123456}]}");
        assertEquals("connecting as ann with *** and ***", m.mask("connecting as ann with hunter22 and 123456"));
    }

    @Test
    void shortValuesAreLeftAlone() {
        SecretMasker m = SecretMasker.of(List.of("pin"), "{\"pin\": \"123\"}");
        assertEquals("step 123 of 1234", m.mask("step 123 of 1234"));
    }

    @Test
    void valuesAfterTheNameAreMaskedHoweverTheNameIsWritten() {
        SecretMasker m = SecretMasker.of(List.of("password"), "not json");
        assertEquals("url?user=a&PASSWORD=***&x=1", m.mask("url?user=a&PASSWORD=s3cr3t&x=1"));
        assertEquals("password: *** rest", m.mask("password: s3cr3t rest"));
        assertEquals("{\"password\": \"***\", \"b\": 1}", m.mask("{\"password\": \"s3cr3t\", \"b\": 1}"));
        assertEquals("db_password=***,next", m.mask("db_password=abc,next"));
        assertEquals("no secret here", m.mask("no secret here"));
    }

    @Test
    void withoutNamesNothingIsMasked() {
        assertSame(SecretMasker.NONE, SecretMasker.of(List.of(), "{\"password\": \"hunter22\"}"));
        assertEquals("password=hunter22", SecretMasker.NONE.mask("password=hunter22"));
    }
}
