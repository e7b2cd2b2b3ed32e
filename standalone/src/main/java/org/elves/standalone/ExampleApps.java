package org.elves.standalone;

import org.elves.agent.runner.InstalledApps;
import org.elves.apps.AppInstaller;
import org.elves.center.supervisor.AppCatalogue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone's example apps registered in its Supervisor as if an admin had uploaded them,
 * so a key granted apptest (`elves key create --app apptest --ip 127.0.0.1`) gets the reference's
 * app object from /api/v2/info/app: created, the example's package uploaded under its VERSION,
 * put online and deployed to the standalone's agent. Through the Supervisor's own calls (audited,
 * actor "standalone"), at every start, and only what is missing: a restart finds everything there
 * and changes nothing; what an admin chose since (another version online, other agents) is kept.
 * <p>
 * The agent already has the examples installed by hand (LocalCluster installs them): the
 * deployment names the same version, which the agent leaves alone and reports installed
 * (docs/app-distribution.md), so nothing is downloaded or replaced. A copy with another version
 * (its VERSION edited by hand) would be replaced by the download: such an app is not deployed.
 */
final class ExampleApps {
    static final String ACTOR = "standalone";

    private ExampleApps() {
    }

    /**
     * Registers every example app for the agent whose apps are in {@code appsDir}; "app version"
     * of each, with why it was not deployed if so.
     */
    static List<String> register(AppCatalogue supervisor, String agentIp, Path appsDir) throws IOException {
        InstalledApps byHand = new InstalledApps(appsDir, Map.of());
        List<String> registered = new ArrayList<>();
        for (String app : AppInstaller.examples()) {
            ExamplePackage pkg = ExamplePackage.of(app);
            String installed = byHand.versionOf(app);
            boolean deployable = installed == null || installed.equals(pkg.version());
            register(supervisor, pkg, deployable ? agentIp : null);
            registered.add(app + " " + pkg.version()
                    + (deployable ? "" : " (not deployed: " + agentIp + " has version " + installed + " installed by hand)"));
        }
        return registered;
    }

    /** {@code agentIp} null: the app is registered but not deployed. */
    static void register(AppCatalogue supervisor, ExamplePackage pkg, String agentIp) {
        Map<String, Object> app = find(supervisor, pkg.app());
        if (app == null) {
            supervisor.appCreate(body("app", pkg.app(), "name", pkg.app()));
            app = find(supervisor, pkg.app());
        }
        if (!uploaded(app, pkg)) {
            // missing, or this version's example files changed with a new build of the jar
            supervisor.appUpload(body("app", pkg.app(), "version", pkg.version(),
                    "data", Base64.getEncoder().encodeToString(pkg.zip()), "sha256", pkg.sha256()));
        }
        if (String.valueOf(app.get("online_version")).isEmpty()) {
            supervisor.appOnline(body("app", pkg.app(), "version", pkg.version()));
        }
        if (agentIp != null && app.get("agents") instanceof List<?> agents && agents.isEmpty()) {
            supervisor.appDeploy(body("app", pkg.app(), "agents", agentIp));
        }
    }

    /** The app as admin/app/list answers it, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(AppCatalogue supervisor, String app) {
        for (Map<String, Object> a : (List<Map<String, Object>>) supervisor.appList(body()).get("result")) {
            if (app.equals(a.get("app"))) {
                return a;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static boolean uploaded(Map<String, Object> app, ExamplePackage pkg) {
        return ((List<Map<String, Object>>) app.get("versions")).stream()
                .anyMatch(v -> pkg.version().equals(v.get("version")) && pkg.sha256().equals(v.get("sha256")));
    }

    /** A request body of name/value pairs, with the actor the audit records. */
    private static Map<String, Object> body(String... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put(pairs[i], pairs[i + 1]);
        }
        body.put("actor", ACTOR);
        return body;
    }
}
