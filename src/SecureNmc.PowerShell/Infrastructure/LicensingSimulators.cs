using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// The licensing simulators started in this PowerShell process (Start-NmcLicensingSimulator), so
    /// Stop-NmcLicensingSimulator can find, stop and undo them. They serve on loopback until stopped
    /// or until the process ends.
    /// </summary>
    internal static class LicensingSimulators
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<int, Running> ById = new Dictionary<int, Running>();
        private static int _lastId;

        internal sealed class Running
        {
            public Running(LicensingServiceHost host, LicensingSimulatorInfo info)
            {
                Host = host;
                Info = info;
            }

            public LicensingServiceHost Host { get; }
            public LicensingSimulatorInfo Info { get; }

            /// <summary>The settings before Start changed them (null = was not set); restored by Stop.</summary>
            public string? PreviousEndpoint { get; set; }
            public string? PreviousServiceKey { get; set; }
        }

        public static int NextId()
        {
            lock (Gate) return ++_lastId;
        }

        public static void Add(Running running)
        {
            lock (Gate) ById[running.Info.Id] = running;
        }

        public static Running? Remove(int id)
        {
            lock (Gate)
            {
                if (!ById.TryGetValue(id, out var running)) return null;
                ById.Remove(id);
                return running;
            }
        }

        public static IReadOnlyList<int> Ids()
        {
            lock (Gate) return ById.Keys.OrderBy(i => i).ToList();
        }
    }
}
