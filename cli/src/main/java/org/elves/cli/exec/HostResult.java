package org.elves.cli.exec;

import org.elves.cli.api.ApiResponse;

/** The outcome of one realtime call on one host, classified for reports and exit codes. */
final class HostResult {
    enum Kind {
        /** the API carried the call and the worker reported success (worker_flag 1) */
        OK("ok"),
        /** the worker ran and reported failure (worker_flag 0, or -1 for a system error) */
        WORKER_FAILED("failed"),
        /** the API refused or could not carry the call (flag false) */
        API_ERROR("failed"),
        /** no answer from the API at all */
        NO_ANSWER("no_answer");

        private final String status;

        Kind(String status) {
            this.status = status;
        }

        /** The status word of reports: ok, failed or no_answer. */
        String status() {
            return status;
        }
    }

    private final String ip;
    private final Kind kind;
    private final ApiResponse response;

    private HostResult(String ip, Kind kind, ApiResponse response) {
        this.ip = ip;
        this.kind = kind;
        this.response = response;
    }

    static HostResult of(String ip, ApiResponse response) {
        Kind kind;
        if (!response.answered()) {
            kind = Kind.NO_ANSWER;
        } else if (!response.ok()) {
            kind = Kind.API_ERROR;
        } else if ("1".equals(response.resultText("worker_flag"))) {
            kind = Kind.OK;
        } else {
            kind = Kind.WORKER_FAILED;
        }
        return new HostResult(ip, kind, response);
    }

    String ip() {
        return ip;
    }

    Kind kind() {
        return kind;
    }

    String flag() {
        return response.flag();
    }

    /** The API's error text, or why there was no answer; "" when there is neither. */
    String error() {
        return response.answered() ? response.error() : response.noAnswerReason();
    }

    String taskId() {
        return response.resultText("id");
    }

    String workerFlag() {
        return response.resultText("worker_flag");
    }

    String workerMessage() {
        return response.resultText("worker_message");
    }

    String workerCostMillis() {
        return response.resultText("worker_costtime");
    }
}
