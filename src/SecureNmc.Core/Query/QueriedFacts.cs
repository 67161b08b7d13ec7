using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Query
{
    /// <summary>
    /// Saving a refresh: only what a query writes (facts, LastQueried, status and its reason) is
    /// copied onto the stored device, so a name, port or credential another session changed while
    /// the card was being queried is kept.
    /// </summary>
    public static class QueriedFacts
    {
        public static void CopyTo(NmcDevice queried, NmcDevice stored)
        {
            if (queried == null) throw new ArgumentNullException(nameof(queried));
            if (stored == null) throw new ArgumentNullException(nameof(stored));
            stored.Model = queried.Model;
            stored.SerialNumber = queried.SerialNumber;
            stored.MacAddress = queried.MacAddress;
            stored.HardwareRevision = queried.HardwareRevision;
            stored.ApplicationType = queried.ApplicationType;
            stored.AosVersion = queried.AosVersion;
            stored.ApplicationVersion = queried.ApplicationVersion;
            stored.BootloaderVersion = queried.BootloaderVersion;
            stored.SystemName = queried.SystemName;
            stored.SystemContact = queried.SystemContact;
            stored.SystemLocation = queried.SystemLocation;
            stored.LastQueried = queried.LastQueried;
            stored.Status = queried.Status;
            stored.StatusDetail = queried.StatusDetail;
        }
    }
}
