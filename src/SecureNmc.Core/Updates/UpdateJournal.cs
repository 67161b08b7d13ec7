using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// The append-only, crash-safe record of every state change: one JSON object per line, each
    /// written with a single write straight to the operating system (the stream keeps no buffer of
    /// its own) before the engine moves on, so a killed process leaves every change it acted on. The
    /// records resume depends on (run started, "Updating Firmware" right before an upload, a card's
    /// result) are also fsynced when durable. A torn last line (killed mid-write) is ignored by the
    /// reader. The file is opened without write sharing, so two processes cannot interleave.
    /// </summary>
    /// <remarks>
    /// Durable records use group commit: a caller waits asynchronously for an fsync that started
    /// after its record was written, and one fsync covers every record written before it. A hundred
    /// cards finishing together therefore cost a few fsyncs instead of a hundred serialized ones, and
    /// no thread-pool thread sits blocked behind another card's fsync (which starved the pool at high
    /// concurrency when each record was fsynced under the write lock).
    /// </remarks>
    public sealed class UpdateJournal : IDisposable
    {
        private static readonly DataContractJsonSerializer Serializer = new DataContractJsonSerializer(typeof(JournalRecord));
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private static readonly Dictionary<string, (UpdateJournal Journal, int Users)> Open = new Dictionary<string, (UpdateJournal, int)>(StringComparer.Ordinal);

        private readonly object _writeGate = new object();
        private readonly SemaphoreSlim _syncGate = new SemaphoreSlim(1, 1);
        private readonly FileStream _stream;
        private readonly bool _durable;
        private long _written;   // records whose write() has returned
        private long _onDisk;    // records covered by a completed fsync
        private long _fsyncs;
        private bool _disposed;

        private UpdateJournal(string path, bool durable)
        {
            Path = path;
            _durable = durable;
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder)) PhysicalFileOperations.CreateOwnerOnlyDirectory(folder!);
            _runLock = AcquireRunLock(path);
            try
            {
                // bufferSize 1: no user-space buffer, so every Write is one write() to the OS and an
                // fsync on another thread never races a half-filled buffer.
                _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
                UnixFilePermissions.TrySetOwnerOnly(path, isDirectory: false); // names cards, hosts and packages
            }
            catch (IOException ex)
            {
                _runLock.Dispose();
                throw new IOException($"The update journal '{path}' is in use by another process (another update run?). Wait for it to finish, then try again.", ex);
            }
        }

        /// <summary>
        /// The journal's own file share is not a lock between processes on Linux and macOS (.NET takes a
        /// shared flock for FileShare.Read, so two writers both get in), hence a separate exclusive
        /// lock file, held for as long as this process has the journal open. The OS drops it when the
        /// process dies, so a killed run never blocks the next. Who holds it is written beside it,
        /// for the message the next run gives.
        /// </summary>
        private static CrossProcessFileLock AcquireRunLock(string path)
        {
            CrossProcessFileLock runLock;
            try
            {
                runLock = CrossProcessFileLock.Acquire(path + RunLockSuffix, RunLockWait, "the update journal");
            }
            catch (StoreLockTimeoutException)
            {
                string? owner = null;
                try { owner = File.ReadAllText(path + RunOwnerSuffix).Trim(); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                throw new UpdateRunInProgressException(path, string.IsNullOrEmpty(owner) ? null : owner);
            }
            try
            {
                var me = System.Diagnostics.Process.GetCurrentProcess();
                var owner = $"process {me.Id} on {Environment.MachineName}, user {Environment.UserName}, started {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}";
                new AtomicFileWriter().WriteAllBytes(path + RunOwnerSuffix, Utf8.GetBytes(owner));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The owner note only improves the next run's message; the lock is what matters.
            }
            return runLock;
        }

        internal const string RunLockSuffix = ".run.lock";
        internal const string RunOwnerSuffix = ".run.owner";

        /// <summary>A brief wait, so a run that is just finishing hands over instead of refusing.</summary>
        internal static TimeSpan RunLockWait = TimeSpan.FromSeconds(2);

        private readonly CrossProcessFileLock _runLock;

        public string Path { get; }

        /// <summary>How many fsyncs this journal has issued (group commit makes it far fewer than durable records).</summary>
        public long FsyncCount => Interlocked.Read(ref _fsyncs);

        /// <summary>Test seam: runs right before each fsync (lets a test hold one in progress).</summary>
        internal Action? BeforeFsync { get; set; }

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
        /// fsynced before returning, blocking the caller; engine code uses <see cref="AppendDurableAsync"/>.
        /// </summary>
        public void Append(JournalRecord record, bool forceToDisk = false)
        {
            var sequence = Write(record);
            if (forceToDisk && _durable)
            {
                _syncGate.Wait();
                try { SyncLocked(sequence); }
                finally { _syncGate.Release(); }
            }
        }

        /// <summary>
        /// Writes one record to the operating system and, when the journal is durable, completes once
        /// an fsync covering it has finished. Waiting callers hold no thread.
        /// </summary>
        public async Task AppendDurableAsync(JournalRecord record)
        {
            var sequence = Write(record);
            if (!_durable) return;
            await _syncGate.WaitAsync().ConfigureAwait(false);
            try { SyncLocked(sequence); }
            finally { _syncGate.Release(); }
        }

        private long Write(JournalRecord record)
        {
            var line = Utf8.GetBytes(JournalLine.Format(record));
            lock (_writeGate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(UpdateJournal), $"The update journal '{Path}' is closed.");
                _stream.Write(line, 0, line.Length);
                return ++_written;
            }
        }

        /// <summary>Called holding the sync gate: one fsync covers everything written before it started.</summary>
        private void SyncLocked(long sequence)
        {
            if (Interlocked.Read(ref _onDisk) >= sequence) return; // an fsync that began after our write already finished
            long covered;
            lock (_writeGate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(UpdateJournal), $"The update journal '{Path}' is closed.");
                covered = _written;
            }
            BeforeFsync?.Invoke();
            _stream.Flush(flushToDisk: true);
            Interlocked.Increment(ref _fsyncs);
            Interlocked.Exchange(ref _onDisk, covered);
        }

        public void Dispose()
        {
            _syncGate.Wait(); // never close the file under an fsync in progress
            try
            {
                lock (_writeGate)
                {
                    if (_disposed) return;
                    _disposed = true;
                    _stream.Dispose();
                    _runLock.Dispose();
                }
            }
            finally
            {
                _syncGate.Release();
            }
        }

        /// <summary>Every readable record, oldest first; torn or foreign lines are counted in <paramref name="unreadableLines"/>.</summary>
        public static IReadOnlyList<JournalRecord> ReadAll(string path, out int unreadableLines) => ReadAll(path, out unreadableLines, out _);

        /// <param name="lastLineUnreadable">Whether the last line is one of them: a process killed mid-write leaves one torn last line, which is normal.</param>
        public static IReadOnlyList<JournalRecord> ReadAll(string path, out int unreadableLines, out bool lastLineUnreadable)
        {
            unreadableLines = 0;
            lastLineUnreadable = false;
            var records = new List<JournalRecord>();
            if (!File.Exists(path)) return records;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length == 0) continue;
                    bool read = false;
                    try
                    {
                        using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(line)))
                        {
                            if (Serializer.ReadObject(ms) is JournalRecord r && !string.IsNullOrEmpty(r.RunId)) { records.Add(r); read = true; }
                        }
                    }
                    catch (SerializationException) { }
                    if (!read) unreadableLines++;
                    lastLineUnreadable = !read;
                }
            }
            return records;
        }

        public static IReadOnlyList<JournalRecord> ReadAll(string path) => ReadAll(path, out _);
    }
}
