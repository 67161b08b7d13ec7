using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// The append-only, crash-safe record of every state change: one JSON object per line, each
    /// written with a single write and flushed to the operating system before the engine moves on, so
    /// a killed process leaves every change it acted on; the records resume depends on (run started,
    /// "Updating Firmware" right before an upload, a card's result) are also fsynced when durable. A torn last line (killed mid-write) is ignored by
    /// the reader. The file is opened without write sharing, so two processes cannot interleave.
    /// </summary>
    public sealed class UpdateJournal : IDisposable
    {
        private static readonly DataContractJsonSerializer Serializer = new DataContractJsonSerializer(typeof(JournalRecord));
        private static readonly Dictionary<string, (UpdateJournal Journal, int Users)> Open = new Dictionary<string, (UpdateJournal, int)>(StringComparer.Ordinal);

        private readonly object _gate = new object();
        private readonly FileStream _stream;
        private readonly bool _durable;
        private bool _disposed;

        private UpdateJournal(string path, bool durable)
        {
            Path = path;
            _durable = durable;
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            try
            {
                _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
            }
            catch (IOException ex)
            {
                throw new IOException($"The update journal '{path}' is in use by another process (another update run?). Wait for it to finish, then try again.", ex);
            }
        }

        public string Path { get; }

        /// <summary>Opens (or shares, within this process) the journal at <paramref name="path"/>; release with <see cref="Release"/>.</summary>
        internal static UpdateJournal Acquire(string path, bool durable)
        {
            var full = System.IO.Path.GetFullPath(path);
            lock (Open)
            {
                if (Open.TryGetValue(full, out var entry))
                {
                    Open[full] = (entry.Journal, entry.Users + 1);
                    return entry.Journal;
                }
                var journal = new UpdateJournal(full, durable);
                Open[full] = (journal, 1);
                return journal;
            }
        }

        internal static void Release(UpdateJournal journal)
        {
            lock (Open)
            {
                if (!Open.TryGetValue(journal.Path, out var entry)) return;
                if (entry.Users > 1) Open[journal.Path] = (entry.Journal, entry.Users - 1);
                else
                {
                    Open.Remove(journal.Path);
                    journal.Dispose();
                }
            }
        }

        /// <summary>
        /// Writes one record and hands it to the operating system before returning (a killed process
        /// loses nothing). With <paramref name="forceToDisk"/> (and the journal durable) it is also
        /// fsynced, for the records resume depends on even after a power loss.
        /// </summary>
        public void Append(JournalRecord record, bool forceToDisk = false)
        {
            byte[] line;
            using (var ms = new MemoryStream())
            {
                Serializer.WriteObject(ms, record);
                ms.WriteByte((byte)'\n');
                line = ms.ToArray();
            }
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(UpdateJournal));
                _stream.Write(line, 0, line.Length);
                _stream.Flush(flushToDisk: _durable && forceToDisk);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                _stream.Dispose();
            }
        }

        /// <summary>Every readable record, oldest first; torn or foreign lines are counted in <paramref name="unreadableLines"/>.</summary>
        public static IReadOnlyList<JournalRecord> ReadAll(string path, out int unreadableLines)
        {
            unreadableLines = 0;
            var records = new List<JournalRecord>();
            if (!File.Exists(path)) return records;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length == 0) continue;
                    try
                    {
                        using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(line)))
                        {
                            if (Serializer.ReadObject(ms) is JournalRecord r && !string.IsNullOrEmpty(r.RunId)) records.Add(r);
                            else unreadableLines++;
                        }
                    }
                    catch (SerializationException) { unreadableLines++; }
                }
            }
            return records;
        }

        public static IReadOnlyList<JournalRecord> ReadAll(string path) => ReadAll(path, out _);
    }
}
