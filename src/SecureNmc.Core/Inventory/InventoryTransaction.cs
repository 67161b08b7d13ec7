using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Inventory
{
    /// <summary>
    /// The inventory as read under the lock, changed in memory, and written back once when the
    /// transaction's work returns (see <see cref="DeviceInventory.Transact{T}"/>). Lookups, adds,
    /// updates and removes are O(1), so one transaction over 10,000 piped devices stays fast.
    /// </summary>
    public sealed class InventoryTransaction
    {
        // Slots keep file order; a removed device leaves a null slot until the list is next read.
        private readonly List<NmcDevice?> _slots;
        private readonly Dictionary<string, NmcDevice> _byKey;
        private readonly Dictionary<Guid, int> _slotById;
        private List<NmcDevice>? _compacted;

        internal InventoryTransaction(List<NmcDevice> devices)
        {
            _slots = new List<NmcDevice?>(devices);
            _byKey = new Dictionary<string, NmcDevice>(devices.Count, DeviceIdentity.KeyComparer);
            _slotById = new Dictionary<Guid, int>(devices.Count);
            for (int i = 0; i < devices.Count; i++)
            {
                _byKey[DeviceIdentity.KeyOf(devices[i])] = devices[i];
                _slotById[devices[i].Id] = i;
            }
        }

        /// <summary>True once anything changed: an unchanged transaction writes nothing.</summary>
        public bool IsChanged { get; private set; }

        /// <summary>The devices in inventory order. The objects are the transaction's own: change them through <see cref="Update"/>.</summary>
        public IReadOnlyList<NmcDevice> Devices
        {
            get
            {
                if (_compacted == null)
                {
                    _compacted = new List<NmcDevice>(_slotById.Count);
                    foreach (var d in _slots) if (d != null) _compacted.Add(d);
                }
                return _compacted;
            }
        }

        public NmcDevice? FindById(Guid id) => _slotById.TryGetValue(id, out var slot) ? _slots[slot] : null;

        public NmcDevice? FindByEndpoint(string host, int port) => _byKey.TryGetValue(DeviceIdentity.KeyOf(host, port), out var d) ? d : null;

        /// <summary>
        /// Adds the device unless one with the same host and port, or the same id, exists; returns that
        /// one then (null = added). The id is kept because a protected password is bound to it.
        /// </summary>
        public NmcDevice? TryAdd(NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            var key = DeviceIdentity.KeyOf(device);
            if (_byKey.TryGetValue(key, out var existing)) return existing;
            if (_slotById.TryGetValue(device.Id, out var sameIdSlot)) return _slots[sameIdSlot];
            _slotById[device.Id] = _slots.Count;
            _slots.Add(device);
            _byKey[key] = device;
            Changed();
            return null;
        }

        public bool Remove(Guid id)
        {
            if (!_slotById.TryGetValue(id, out var slot)) return false;
            var device = _slots[slot]!;
            _slots[slot] = null;
            _slotById.Remove(id);
            _byKey.Remove(DeviceIdentity.KeyOf(device));
            Changed();
            return true;
        }

        /// <summary>
        /// Applies <paramref name="change"/> to a copy of the device and stores it; refuses a host/port
        /// already used by another device (<see cref="DuplicateDeviceException"/>), leaving the device as it was.
        /// </summary>
        public NmcDevice Update(Guid id, Action<NmcDevice> change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            if (!_slotById.TryGetValue(id, out var slot)) throw new DeviceNotFoundException(id);
            var device = _slots[slot]!;
            var oldKey = DeviceIdentity.KeyOf(device);
            var edited = device.Clone();
            change(edited);
            edited.Id = id; // identity never changes
            // Every stored change counts, unless the change set the revision itself (a record taken over from a bundle).
            if (edited.Revision == device.Revision) edited.Revision = device.Revision + 1;
            var newKey = DeviceIdentity.KeyOf(edited);
            if (newKey != oldKey && _byKey.TryGetValue(newKey, out var other) && other.Id != id)
                throw new DuplicateDeviceException(edited, other);

            _slots[slot] = edited;
            _byKey.Remove(oldKey);
            _byKey[newKey] = edited;
            Changed();
            return edited;
        }

        /// <summary>
        /// Marks the device as handed over to <paramref name="worker"/> at <paramref name="at"/>, or clears
        /// the mark (worker null). The mark is this inventory's bookkeeping, not a change of the card's
        /// record: the <see cref="NmcDevice.Revision"/> stays, so the worker's results still merge as
        /// changed there only (<see cref="DataExchange.HandOverMerge"/>). Returns the stored copy.
        /// </summary>
        public NmcDevice SetHandOver(Guid id, string? worker, DateTimeOffset? at)
        {
            if (!_slotById.TryGetValue(id, out var slot)) throw new DeviceNotFoundException(id);
            var device = _slots[slot]!;
            if (device.HandedOverTo == worker && device.HandedOverAt == (worker == null ? null : at)) return device;
            var edited = device.Clone();
            edited.HandedOverTo = worker;
            edited.HandedOverAt = worker == null ? null : at;
            _slots[slot] = edited;
            _byKey[DeviceIdentity.KeyOf(edited)] = edited;
            Changed();
            return edited;
        }

        private void Changed()
        {
            IsChanged = true;
            _compacted = null;
        }
    }
}
