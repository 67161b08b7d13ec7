using System;
using SecureNmc.Core.CardFiles;
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
        /// <summary>
        /// Copies what a read of the card found onto <paramref name="device"/>: a query, or the update's
        /// verify step after a restart. Facts the read could not see (the model over FTP) keep their
        /// earlier values. Returns true when a firmware fact (application type, application, AOS or
        /// bootloader version) changed.
        /// </summary>
        public static bool Apply(NmcDevice device, CardIdentity id)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (id == null) throw new ArgumentNullException(nameof(id));
            bool changed = id.AosVersion != null && id.AosVersion != device.AosVersion ||
                           id.ApplicationVersion != null && id.ApplicationVersion != device.ApplicationVersion ||
                           id.BootloaderVersion != null && id.BootloaderVersion != device.BootloaderVersion ||
                           id.ApplicationType != null && id.ApplicationType != device.ApplicationType;
            device.Model = id.Model ?? device.Model;
            device.SerialNumber = id.SerialNumber ?? device.SerialNumber;
            device.MacAddress = id.MacAddress ?? device.MacAddress;
            device.HardwareRevision = id.HardwareRevision ?? device.HardwareRevision;
            device.ApplicationType = id.ApplicationType ?? (id.Generation == NmcGeneration.Nmc2 ? null : device.ApplicationType);
            device.AosVersion = id.AosVersion ?? device.AosVersion;
            device.ApplicationVersion = id.ApplicationVersion ?? device.ApplicationVersion;
            device.BootloaderVersion = id.BootloaderVersion ?? device.BootloaderVersion;
            device.SystemName = id.SystemName ?? device.SystemName;
            device.SystemContact = id.SystemContact ?? device.SystemContact;
            device.SystemLocation = id.SystemLocation ?? device.SystemLocation;
            return changed;
        }

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
            stored.StatusBasis = queried.StatusBasis;
        }
    }
}
