using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Inventory
{
    /// <summary>A device that was not added because one with the same host and port exists.</summary>
    public sealed class DuplicateDevice
    {
        public DuplicateDevice(NmcDevice candidate, NmcDevice existing, int inputIndex, bool alreadyInInventory)
        {
            Candidate = candidate;
            Existing = existing;
            InputIndex = inputIndex;
            AlreadyInInventory = alreadyInInventory;
        }

        /// <summary>The device that was offered.</summary>
        public NmcDevice Candidate { get; }

        /// <summary>The device it duplicates (in the inventory, or earlier in the same batch).</summary>
        public NmcDevice Existing { get; }

        /// <summary>Position of the candidate in the batch offered (0-based), to map back to a CSV line.</summary>
        public int InputIndex { get; }

        /// <summary>True when the inventory already held it; false when it repeats an earlier device of the same batch.</summary>
        public bool AlreadyInInventory { get; }

        public string Message =>
            Candidate.Id == Existing.Id && DeviceIdentity.KeyOf(Candidate) != DeviceIdentity.KeyOf(Existing)
            ? $"This device object (id {Candidate.Id:D}) is already in the inventory as '{Existing.DisplayName}' ({Existing.Host}:{Existing.Port}); it was not added again. Use Set-NmcDevice to change its host or port, or New-NmcDevice for a new device."
            : AlreadyInInventory
            ? $"The device {Candidate.Host}:{Candidate.Port} is already in the inventory (as '{Existing.DisplayName}'); it was not added again. Use Set-NmcDevice to change it."
            : $"The device {Candidate.Host}:{Candidate.Port} appears twice in the input (first as '{Existing.DisplayName}'); it was added once.";
    }

    public sealed class AddDevicesResult
    {
        public AddDevicesResult(IReadOnlyList<NmcDevice> added, IReadOnlyList<DuplicateDevice> duplicates)
        {
            Added = added;
            Duplicates = duplicates;
        }

        /// <summary>Copies of the devices now stored, in input order.</summary>
        public IReadOnlyList<NmcDevice> Added { get; }

        public IReadOnlyList<DuplicateDevice> Duplicates { get; }
    }

    public sealed class RemoveDevicesResult
    {
        public RemoveDevicesResult(IReadOnlyList<NmcDevice> removed, IReadOnlyList<Guid> notFound)
        {
            Removed = removed;
            NotFound = notFound;
        }

        public IReadOnlyList<NmcDevice> Removed { get; }

        /// <summary>Ids that were not in the inventory (e.g. removed meanwhile by another session).</summary>
        public IReadOnlyList<Guid> NotFound { get; }
    }

    /// <summary>No device with that id (another session may have removed it).</summary>
    public sealed class DeviceNotFoundException : Exception
    {
        public DeviceNotFoundException(Guid id, string? displayName = null)
            : base($"The device {(displayName != null ? "'" + displayName + "' " : "")}(id {id:D}) is not in the inventory; another session may have removed it. Run Get-NmcDevice to see the current list.")
        {
            DeviceId = id;
        }

        public Guid DeviceId { get; }
    }

    /// <summary>A change would give two devices the same host and port.</summary>
    public sealed class DuplicateDeviceException : Exception
    {
        public DuplicateDeviceException(NmcDevice changed, NmcDevice existing)
            : base($"Another device ('{existing.DisplayName}') already uses {existing.Host}:{existing.Port}; '{changed.DisplayName}' was not changed.")
        {
            ExistingDeviceId = existing.Id;
        }

        public Guid ExistingDeviceId { get; }
    }
}
