using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.PowerShell.Simulation
{
    /// <summary>
    /// The simulated fleets started in each PowerShell session (runspace), so Stop-NmcSimulator
    /// without arguments stops exactly this session's fleets. Fleets live in this process: closing
    /// PowerShell ends them too.
    /// </summary>
    internal static class SimulatorRegistry
    {
        private static readonly object Sync = new object();
        private static readonly Dictionary<Guid, List<NmcSimulator>> BySession = new Dictionary<Guid, List<NmcSimulator>>();
        private static int _lastId;

        public static int NextId()
        {
            lock (Sync) return ++_lastId;
        }

        public static void Register(Guid session, NmcSimulator simulator)
        {
            lock (Sync)
            {
                if (!BySession.TryGetValue(session, out var list)) BySession[session] = list = new List<NmcSimulator>();
                list.Add(simulator);
            }
        }

        public static IReadOnlyList<NmcSimulator> Running(Guid session)
        {
            lock (Sync)
                return BySession.TryGetValue(session, out var list) ? list.Where(s => s.IsRunning).ToList() : new List<NmcSimulator>();
        }

        public static void Forget(NmcSimulator simulator)
        {
            lock (Sync)
                foreach (var list in BySession.Values) list.Remove(simulator);
        }
    }
}
