package org.elves.agent.heartbeat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The machine's own addresses for the heartbeat's ipList (loopback and link-local left out). */
public final class MachineAddresses {
    private MachineAddresses() {
    }

    public static List<String> list() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        String text = a.getHostAddress();
                        int zone = text.indexOf('%');
                        out.add(zone < 0 ? text : text.substring(0, zone));
                    }
                }
            }
        } catch (SocketException e) {
            // without interface data the agent still reports its configured ip
            return out;
        }
        return out;
    }
}
