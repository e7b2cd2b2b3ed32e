package org.elves.center.cron;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/**
 * The cluster service of a center without ZooKeeper: this instance is the only member and always
 * the leader, so the master: routes run here. Camel ships no such service outside its test
 * kit, and a Cron without ZooKeeper must still fire (one instance only: documented).
 */
final class SoleInstanceClusterService extends AbstractCamelClusterService<SoleInstanceClusterService.View> {

    SoleInstanceClusterService() {
        super("elves-sole-instance");
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    static final class View extends AbstractCamelClusterView {
        private final CamelClusterMember self = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return "local";
            }
        };

        View(SoleInstanceClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(self);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }
    }
}
