using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SecureNmc.Core.Ssh.KnownHosts
{
    /// <summary>One trusted host key: "host:port key-type SHA256:fingerprint".</summary>
    public sealed class KnownHostEntry
    {
        public KnownHostEntry(string hostPort, string keyType, string fingerprint)
        {
            HostPort = hostPort;
            KeyType = keyType;
            Fingerprint = fingerprint;
        }

        public string HostPort { get; }
        public string KeyType { get; }
        public string Fingerprint { get; }
    }

    /// <summary>
    /// The known-hosts file: one line per host and key type, "#" comments allowed. Every change
    /// re-reads the file, then replaces it atomically (write a temporary file, then rename), so a
    /// crash or a parallel writer never leaves a half-written file.
    /// Every SSH login looks its card up (twice), so the parsed file is kept per path and parsed again
    /// only when the file's size or last-write time changed (another process wrote it): with a
    /// thousand cards, parsing the whole file at each lookup, under the one lock, was a large part of
    /// a fleet update's CPU time and made every login wait for the others' lookups.
    /// </summary>
    public sealed class KnownHostsStore
    {
        private static readonly object FileLock = new object();
        // The last parse of each file (guarded by FileLock), with the size and time it was read at.
        private static readonly Dictionary<string, ParsedFile> Parsed = new Dictionary<string, ParsedFile>(StringComparer.Ordinal);
        private readonly string? _path;

        /// <param name="path">File to use; null keeps entries in memory only.</param>
        public KnownHostsStore(string? path)
        {
            _path = string.IsNullOrWhiteSpace(path) ? null : path;
        }

        private readonly List<KnownHostEntry> _memory = new List<KnownHostEntry>();

        public string? Path => _path;

        public static string Key(string host, int port)
        {
            host = host.Trim().ToLowerInvariant();
            return host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        }

        public IReadOnlyList<KnownHostEntry> Find(string host, int port)
        {
            var key = Key(host, port);
            lock (FileLock)
            {
                if (_path == null) return _memory.Where(e => e.HostPort == key).ToList();
                return Load().ByHost.TryGetValue(key, out var entries) ? entries.ToList() : new List<KnownHostEntry>();
            }
        }

        /// <summary>Records (or replaces) the key of one type for a host.</summary>
        public void Save(string host, int port, string keyType, string fingerprint)
        {
            var key = Key(host, port);
            lock (FileLock)
            {
                var entries = ReadAll().Where(e => !(e.HostPort == key && e.KeyType == keyType)).ToList();
                entries.Add(new KnownHostEntry(key, keyType, fingerprint));
                WriteAll(entries);
            }
        }

        /// <summary>Forgets every key of a host (after a legitimate key change). Returns how many entries went.</summary>
        public int Remove(string host, int port)
        {
            var key = Key(host, port);
            lock (FileLock)
            {
                var all = ReadAll();
                var kept = all.Where(e => e.HostPort != key).ToList();
                if (kept.Count != all.Count) WriteAll(kept);
                return all.Count - kept.Count;
            }
        }

        private List<KnownHostEntry> ReadAll() => _path == null ? _memory.ToList() : Load().All.ToList();

        /// <summary>The file's entries: the last parse when the file is as it was then, else a new parse.</summary>
        private ParsedFile Load()
        {
            var path = System.IO.Path.GetFullPath(_path!);
            var stamp = FileStamp.Of(path);
            if (Parsed.TryGetValue(path, out var cached) && cached.Stamp.Equals(stamp)) return cached;
            var parsed = new ParsedFile(stamp, stamp.Exists ? Parse() : new List<KnownHostEntry>());
            Parsed[path] = parsed;
            return parsed;
        }

        private List<KnownHostEntry> Parse()
        {
            var entries = new List<KnownHostEntry>();
            int lineNumber = 0;
            foreach (var raw in File.ReadAllLines(_path, Encoding.UTF8))
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) continue;
                var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3 || !parts[2].StartsWith("SHA256:", StringComparison.Ordinal))
                    throw new InvalidDataException($"Known-hosts file '{_path}' line {lineNumber} is not 'host:port key-type SHA256:fingerprint'. Fix or delete that line.");
                entries.Add(new KnownHostEntry(parts[0], parts[1], parts[2]));
            }
            return entries;
        }

        private void WriteAll(List<KnownHostEntry> entries)
        {
            if (_path == null)
            {
                _memory.Clear();
                _memory.AddRange(entries);
                return;
            }
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path));
            if (!string.IsNullOrEmpty(directory)) Storage.PhysicalFileOperations.CreateOwnerOnlyDirectory(directory);
            var text = new StringBuilder("# SecureNmc known SSH host keys: host:port key-type SHA-256 fingerprint\n");
            foreach (var e in entries) text.Append(e.HostPort).Append(' ').Append(e.KeyType).Append(' ').Append(e.Fingerprint).Append('\n');
            var temp = _path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = Storage.UnixFilePermissions.CreateOwnerOnlyFile(temp))
                {
                    var bytes = new UTF8Encoding(false).GetBytes(text.ToString());
                    stream.Write(bytes, 0, bytes.Length);
                }
                if (File.Exists(_path)) File.Replace(temp, _path, null);
                else File.Move(temp, _path);
                // Parsed again at the next lookup rather than stamped now: another process may write
                // between the rename and a stamp, and its change must not hide behind ours.
                Parsed.Remove(System.IO.Path.GetFullPath(_path));
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }

    /// <summary>What a file looked like when read: whether it existed, its size and last-write time.</summary>
    internal readonly struct FileStamp : IEquatable<FileStamp>
    {
        private FileStamp(bool exists, long length, DateTime lastWriteUtc)
        {
            Exists = exists;
            Length = length;
            LastWriteUtc = lastWriteUtc;
        }

        public bool Exists { get; }
        public long Length { get; }
        public DateTime LastWriteUtc { get; }

        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.Length, info.LastWriteTimeUtc) : default;
        }

        public bool Equals(FileStamp other) => Exists == other.Exists && Length == other.Length && LastWriteUtc == other.LastWriteUtc;
        public override bool Equals(object? obj) => obj is FileStamp other && Equals(other);
        public override int GetHashCode() => LastWriteUtc.GetHashCode() ^ Length.GetHashCode();
    }

    /// <summary>One parse of a known-hosts file, with its entries by host:port.</summary>
    internal sealed class ParsedFile
    {
        public ParsedFile(FileStamp stamp, List<KnownHostEntry> all)
        {
            Stamp = stamp;
            All = all;
            ByHost = all.GroupBy(e => e.HostPort, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        }

        public FileStamp Stamp { get; }
        public IReadOnlyList<KnownHostEntry> All { get; }
        public IReadOnlyDictionary<string, List<KnownHostEntry>> ByHost { get; }
    }
}
