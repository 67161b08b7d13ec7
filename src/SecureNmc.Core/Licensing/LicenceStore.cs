using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Core.Licensing.Contract;
using SecureNmc.Core.Json;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The local store of licence records (&lt;data&gt;/Licenses/licences.json). Only records that verify
    /// with the trusted service key are written, and every record is verified again when read: a record
    /// edited or added by hand is reported in <see cref="Rejected"/> and licenses nothing.
    /// Writes are atomic (temporary file, then replace) and serialised across processes by a lock file,
    /// merging with what other sessions wrote.
    /// </summary>
    public sealed class LicenceStore
    {
        public const string FormatName = "snmc-licence-store/1";
        private const long MaxStoreBytes = 256L * 1024 * 1024;

        private readonly string _path;
        private readonly TrustedServiceKey _key;
        private readonly object _gate = new object();
        private Dictionary<string, List<LicenceRecord>> _bySerial = new Dictionary<string, List<LicenceRecord>>(StringComparer.OrdinalIgnoreCase);
        private List<string> _rejected = new List<string>();
        private DateTime _loadedWriteTime = DateTime.MinValue;
        private long _loadedLength = -1;

        public LicenceStore(string path, TrustedServiceKey key)
        {
            _path = Path.GetFullPath(path ?? throw new ArgumentNullException(nameof(path)));
            _key = key ?? throw new ArgumentNullException(nameof(key));
        }

        public string FilePath => _path;

        /// <summary>Why records in the file were not trusted at the last read (card serial and reason).</summary>
        public IReadOnlyList<string> Rejected { get { lock (_gate) { Refresh(); return _rejected.ToArray(); } } }

        /// <summary>The card's current licence: its verified record with the highest service issue number; null if none.</summary>
        public LicenceRecord? Current(string cardSerial)
        {
            lock (_gate)
            {
                Refresh();
                return _bySerial.TryGetValue(cardSerial.Trim(), out var list) ? list.OrderByDescending(r => r.RecordNumber).First().Clone() : null;
            }
        }

        /// <summary>Every verified record, oldest first per card.</summary>
        public IReadOnlyList<LicenceRecord> All()
        {
            lock (_gate)
            {
                Refresh();
                return _bySerial.Values.SelectMany(l => l).OrderBy(r => r.CardSerial, StringComparer.Ordinal).ThenBy(r => r.RecordNumber).Select(r => r.Clone()).ToList();
            }
        }

        /// <summary>Verifies and adds records (duplicates by RecordId are kept once), then rewrites the file atomically.</summary>
        public void Save(IEnumerable<LicenceRecord> records)
        {
            var incoming = records.ToList();
            foreach (var r in incoming) LicenceVerifier.Verify(r, _key);
            lock (_gate)
            using (CrossProcessFileLock.Acquire(_path + ".lock", TimeSpan.FromSeconds(30), "the licence store"))
            {
                // Another session may have written since we last read: merge into the file as it is now.
                if (File.Exists(_path)) Load(); else Refresh();
                foreach (var r in incoming)
                {
                    if (!_bySerial.TryGetValue(r.CardSerial, out var list)) _bySerial[r.CardSerial] = list = new List<LicenceRecord>();
                    if (list.All(x => x.RecordId != r.RecordId)) list.Add(r.Clone());
                }
                var document = new JsonObject()
                    .Set("format", FormatName)
                    .Set("note", "Licence records signed by the licensing service. Edited records fail verification and license nothing.")
                    .Set("records", new JsonArray(_bySerial.Values.SelectMany(l => l)
                        .OrderBy(r => r.CardSerial, StringComparer.Ordinal).ThenBy(r => r.RecordNumber)
                        .Select(r => (JsonValue)ContractJson.Record(r))));
                AtomicFile.WriteAllText(_path, JsonWriter.Write(document, indented: true));
                Remember();
            }
        }

        public void Save(LicenceRecord record) => Save(new[] { record });

        private void Refresh()
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                _bySerial = new Dictionary<string, List<LicenceRecord>>(StringComparer.OrdinalIgnoreCase);
                _rejected = new List<string>();
                _loadedLength = -1;
                return;
            }
            if (info.LastWriteTimeUtc == _loadedWriteTime && info.Length == _loadedLength) return;
            Load();
        }

        private void Load()
        {
            var bySerial = new Dictionary<string, List<LicenceRecord>>(StringComparer.OrdinalIgnoreCase);
            var rejected = new List<string>();
            JsonObject document;
            try
            {
                document = JsonReader.ParseObject(AtomicFile.ReadAllTextBounded(_path, MaxStoreBytes, "licence store"));
                if (document.GetString("format") != FormatName) throw new FormatException($"it is not a {FormatName} file");
            }
            catch (Exception e) when (e is FormatException || e is LicensingException)
            {
                throw new LicensingException(LicensingErrorCode.InvalidFile,
                    $"The licence store {_path} cannot be read: {e.Message} Move it aside; Get-NmcSubscription fetches the licences again from the service.", null, e);
            }
            int index = 0;
            foreach (var item in document.GetArray("records").Items)
            {
                index++;
                LicenceRecord record;
                try { record = ContractJson.ReadRecord(item as JsonObject ?? throw new FormatException("not an object")); }
                catch (Exception e) when (e is FormatException || e is OverflowException)
                {
                    rejected.Add($"record {index}: unreadable ({e.Message})");
                    continue;
                }
                if (!LicenceVerifier.IsAuthentic(record, _key, out var problem))
                {
                    rejected.Add($"record {index} for card {record.CardSerial}: {problem}");
                    continue;
                }
                if (!bySerial.TryGetValue(record.CardSerial, out var list)) bySerial[record.CardSerial] = list = new List<LicenceRecord>();
                if (list.All(x => x.RecordId != record.RecordId)) list.Add(record);
            }
            _bySerial = bySerial;
            _rejected = rejected;
            Remember();
        }

        private void Remember()
        {
            var info = new FileInfo(_path);
            _loadedWriteTime = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            _loadedLength = info.Exists ? info.Length : -1;
        }
    }
}
