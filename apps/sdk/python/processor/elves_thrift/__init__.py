__all__ = ['ttypes', 'constants', 'AgentService', 'SchedulerService', 'HeartbeatService', 'AppService']
