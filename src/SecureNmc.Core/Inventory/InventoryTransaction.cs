using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Inventory
{
    /// <summary>
    /// The inventory as read under the lock, changed in memory, and written back once when the
    /// transaction's work returns (see <see cref="DeviceInventory.Transact{T}"/>). Devices handed
    /// out are the transaction's own objects; changes to them through <see cref="Update"/> are saved.
    /// </summary>
    public sealed class InventoryTransaction
    {
        private readonly List<NmcDevice> _devices;
        private readonly Dictionary<string, NmcDevice> _byKey;
        private readonly Dictionary<Guid, NmcDevice> _byId;

        internal InventoryTransaction(List<NmcDevice> devices)
        {
            _devices = devices;
            _byKey = new Dictionary<string, NmcDevice>(devices.Count, DeviceIdentity.KeyComparer);
            _byId = new Dictionary<Guid, NmcDevice>(devices.Count);
            foreach (var d in devices)
            {
                _byKey[DeviceIdentity.KeyOf(d)] = d;
                _byId[d.Id] = d;
            }
        }

        /// <summary>True once anything changed: an unchanged transaction writes nothing.</summary>
        public bool IsChanged { get; private set; }

        public IReadOnlyList<NmcDevice> Devices => _devices;

        public NmcDevice? FindById(Guid id) => _byId.TryGetValue(id, out var d) ? d : null;

        public NmcDevice? FindByEndpoint(string host, int port) => _byKey.TryGetValue(DeviceIdentity.KeyOf(host, port), out var d) ? d : null;

        /// <summary>Adds the device unless one with the same host and port exists; returns that one then.</summary>
        public NmcDevice? TryAdd(NmcDevice device)
        {
            var key = DeviceIdentity.KeyOf(device);
            if (_byKey.TryGetValue(key, out var existing)) return existing;
            if (_byId.ContainsKey(device.Id)) device.Id = Guid.NewGuid();
            _devices.Add(device);
            _byKey[key] = device;
            _byId[device.Id] = device;
            IsChanged = true;
            return null;
        }

        public bool Remove(Guid id)
        {
            if (!_byId.TryGetValue(id, out var device)) return false;
            _devices.Remove(device);
            _byId.Remove(id);
            _byKey.Remove(DeviceIdentity.KeyOf(device));
            IsChanged = true;
            return true;
        }

        /// <summary>Applies <paramref name="change"/> to the device; refuses a change of host/port onto another device's.</summary>
        public NmcDevice Update(Guid id, Action<NmcDevice> change)
        {
            if (!_byId.TryGetValue(id, out var device)) throw new DeviceNotFoundException(id);
            var oldKey = DeviceIdentity.KeyOf(device);
            var edited = device.Clone();
            change(edited);
            edited.Id = id; // identity never changes
            var newKey = DeviceIdentity.KeyOf(edited);
            if (newKey != oldKey && _byKey.TryGetValue(newKey, out var other) && other.Id != id)
                throw new DuplicateDeviceException(edited, other);

            int index = _devices.IndexOf(device);
            _devices[index] = edited;
            _byId[id] = edited;
            _byKey.Remove(oldKey);
            _byKey[newKey] = edited;
            IsChanged = true;
            return edited;
        }

        internal List<NmcDevice> Snapshot() => _devices.ToList();
    }
}
