package org.elves.agent.runner;

/**
 * One call of an app's worker: what the Instruct carries apart from routing.
 *
 * @param app            app instruct (directory name under the apps dir)
 * @param func           method of the app
 * @param param          JSON text as received, passed on base64-encoded; null or "" for none
 * @param timeoutSeconds kill the worker after this long; 0 = no limit
 * @param proxy          custom entry, {@code interp|file} or {@code file}; null or "" for the default
 */
public record WorkerCall(String app, String func, String param, int timeoutSeconds, String proxy) {

    public static WorkerCall of(String app, String func, String param) {
        return new WorkerCall(app, func, param, 0, null);
    }

    public WorkerCall withTimeout(int seconds) {
        return new WorkerCall(app, func, param, seconds, proxy);
    }

    public WorkerCall withProxy(String entry) {
        return new WorkerCall(app, func, param, timeoutSeconds, entry);
    }
}
