using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Inventory
{
    /// <summary>
    /// The device list of the current user, kept in inventory.json in the data folder.
    /// Reads take no lock (writes replace the file atomically, so a reader sees the old or the new
    /// list). Every change is a read-modify-write under a cross-process lock, so two sessions adding
    /// at once lose nothing. Devices returned are copies: change them through this class.
    /// </summary>
    public sealed class DeviceInventory
    {
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);
        private const string WhatIsStored = "device inventory";

        private readonly IFileOperations _files;
        private readonly AtomicFileWriter _writer;
        private readonly ILogger _logger;

        public DeviceInventory(DataFolder dataFolder, ILogger? logger = null, IFileOperations? files = null, TimeSpan? lockTimeout = null)
            : this(dataFolder.InventoryFile, dataFolder.InventoryLockFile, logger, files, lockTimeout) { }

        public DeviceInventory(string inventoryFile, string lockFile, ILogger? logger = null, IFileOperations? files = null, TimeSpan? lockTimeout = null)
        {
            FilePath = Path.GetFullPath(inventoryFile);
            LockFilePath = Path.GetFullPath(lockFile);
            _files = files ?? PhysicalFileOperations.Instance;
            _logger = logger ?? NullLogger.Instance;
            _writer = new AtomicFileWriter(_files, _logger);
            LockTimeout = lockTimeout ?? DefaultLockTimeout;
        }

        public string FilePath { get; }
        public string LockFilePath { get; }

        /// <summary>Longest wait for another session's write before <see cref="StoreLockTimeoutException"/>.</summary>
        public TimeSpan LockTimeout { get; }

        /// <summary>Every device, in the order added. An absent file is an empty inventory.</summary>
        public IReadOnlyList<NmcDevice> GetAll() => ReadFile();

        /// <summary>The devices matching the filter (wildcards on name/host, status, application type).</summary>
        public IReadOnlyList<NmcDevice> Find(DeviceFilter filter) => filter.Apply(ReadFile()).ToList();

        public NmcDevice? FindById(Guid id) => ReadFile().FirstOrDefault(d => d.Id == id);

        /// <summary>Adds the devices that are not there yet (same host and port = duplicate, reported).</summary>
        public AddDevicesResult Add(IEnumerable<NmcDevice> devices)
        {
            if (devices == null) throw new ArgumentNullException(nameof(devices));
            var candidates = devices.ToList();
            var result = Transact(tx =>
            {
                var added = new List<NmcDevice>();
                var duplicates = new List<DuplicateDevice>();
                var addedIds = new HashSet<Guid>();
                for (int i = 0; i < candidates.Count; i++)
                {
                    var copy = candidates[i].Clone();
                    var existing = tx.TryAdd(copy);
                    if (existing == null)
                    {
                        added.Add(copy);
                        addedIds.Add(copy.Id);
                    }
                    else
                    {
                        duplicates.Add(new DuplicateDevice(candidates[i], existing.Clone(), i, alreadyInInventory: !addedIds.Contains(existing.Id)));
                    }
                }
                return new AddDevicesResult(added.Select(d => d.Clone()).ToList(), duplicates);
            });
            _logger.LogInformation("Added {Added} device(s) to the inventory; {Duplicates} duplicate(s) not added.", result.Added.Count, result.Duplicates.Count);
            foreach (var dup in result.Duplicates)
                _logger.LogDebug("Duplicate device {Host}:{Port} not added.", dup.Candidate.Host, dup.Candidate.Port);
            return result;
        }

        public AddDevicesResult Add(NmcDevice device) => Add(new[] { device ?? throw new ArgumentNullException(nameof(device)) });

        public RemoveDevicesResult Remove(IEnumerable<Guid> ids)
        {
            if (ids == null) throw new ArgumentNullException(nameof(ids));
            var wanted = ids.Distinct().ToList();
            var result = Transact(tx =>
            {
                var removed = new List<NmcDevice>();
                var notFound = new List<Guid>();
                foreach (var id in wanted)
                {
                    var device = tx.FindById(id);
                    if (device != null && tx.Remove(id)) removed.Add(device.Clone());
                    else notFound.Add(id);
                }
                return new RemoveDevicesResult(removed, notFound);
            });
            foreach (var d in result.Removed) _logger.LogInformation("Removed device {Device} ({Host}:{Port}) from the inventory.", d.DisplayName, d.Host, d.Port);
            return result;
        }

        public RemoveDevicesResult Remove(Guid id) => Remove(new[] { id });

        /// <summary>Changes one device (Set-NmcDevice, a query filling in facts, a status change). Returns the saved copy.</summary>
        public NmcDevice Update(Guid id, Action<NmcDevice> change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            var saved = Transact(tx => tx.Update(id, change).Clone());
            _logger.LogDebug("Updated device {Device} in the inventory.", saved.DisplayName);
            return saved;
        }

        /// <summary>
        /// Stores a device's fields as they are on <paramref name="device"/> (matched by Id), e.g. after a
        /// query filled in model and versions. Throws <see cref="DeviceNotFoundException"/> if it was removed.
        /// </summary>
        public NmcDevice Save(NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            var snapshot = device.Clone();
            return Transact(tx => ReplaceWith(tx, snapshot));
        }

        private static NmcDevice ReplaceWith(InventoryTransaction tx, NmcDevice snapshot)
        {
            if (tx.FindById(snapshot.Id) == null) throw new DeviceNotFoundException(snapshot.Id, snapshot.DisplayName);
            return tx.Update(snapshot.Id, d => CopyInto(snapshot, d)).Clone();
        }

        private static void CopyInto(NmcDevice from, NmcDevice to)
        {
            foreach (var property in typeof(NmcDevice).GetProperties())
            {
                if (property.CanWrite && property.CanRead) property.SetValue(to, property.GetValue(from));
            }
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the current inventory under the cross-process lock and saves
        /// the result atomically if it changed anything. If <paramref name="work"/> throws, nothing is saved.
        /// </summary>
        public T Transact<T>(Func<InventoryTransaction, T> work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            using (CrossProcessFileLock.Acquire(LockFilePath, LockTimeout, WhatIsStored, _logger))
            {
                var tx = new InventoryTransaction(ReadFile());
                var result = work(tx);
                if (tx.IsChanged)
                {
                    _writer.DeleteStaleTempFiles(FilePath);
                    _writer.WriteAllBytes(FilePath, InventoryFileFormat.Serialize(tx.Devices), WhatIsStored);
                }
                return result;
            }
        }

        private List<NmcDevice> ReadFile()
        {
            byte[] content;
            try
            {
                if (!_files.FileExists(FilePath))
                {
                    // A folder where the file should be would otherwise read as an empty inventory, and
                    // every device would silently seem gone.
                    if (_files.DirectoryExists(FilePath))
                        throw new StoreCorruptException(FilePath, WhatIsStored, "it is a folder, not a file");
                    return new List<NmcDevice>();
                }
                using (var stream = _files.OpenRead(FilePath))
                using (var memory = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, int.MaxValue) : 0))
                {
                    stream.CopyTo(memory);
                    content = memory.ToArray();
                }
            }
            catch (FileNotFoundException)
            {
                return new List<NmcDevice>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StoreException($"The device inventory file '{FilePath}' cannot be read: {e.Message}", FilePath, e);
            }

            try
            {
                var devices = InventoryFileFormat.Deserialize(content);
                var ids = new HashSet<Guid>();
                foreach (var d in devices)
                    if (!ids.Add(d.Id)) throw new FormatException($"the device id {d.Id:D} appears more than once");
                return devices;
            }
            catch (FormatException e)
            {
                _logger.LogError("The device inventory file {Path} is damaged: {Problem}", FilePath, e.Message);
                throw new StoreCorruptException(FilePath, WhatIsStored, e.Message, e);
            }
        }
    }
}
