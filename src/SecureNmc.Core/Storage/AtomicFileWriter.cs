using System;
using System.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// Replaces a file's content so that a crash at any instant leaves either the old or the new
    /// content, never a mix: write a temporary file in the same folder, flush it to disk, then
    /// rename it over the target (a rename within one folder is atomic on NTFS, ext4, APFS...).
    /// </summary>
    public sealed class AtomicFileWriter
    {
        internal const string TempSuffix = ".tmp";
        private readonly IFileOperations _files;
        private readonly ILogger _logger;

        public AtomicFileWriter(IFileOperations? files = null, ILogger? logger = null)
        {
            _files = files ?? PhysicalFileOperations.Instance;
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>
        /// Replaces <paramref name="path"/> with <paramref name="content"/>. An I/O failure (disk full,
        /// no permission) becomes a <see cref="StoreException"/> naming the file; the old content stays.
        /// </summary>
        public void WriteAllBytes(string path, byte[] content, string whatIsStored)
        {
            try { WriteAllBytes(path, content); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StoreException($"The {whatIsStored} file '{path}' could not be written: {e.Message} Nothing was changed. " +
                    "Check that the data folder is writable and the disk is not full.", path, e);
            }
        }

        public void WriteAllBytes(string path, byte[] content)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            _files.CreateDirectory(directory);
            // Unique name: a crashed writer's leftover never collides with the next write.
            var tempPath = path + "." + Guid.NewGuid().ToString("N") + TempSuffix;
            Stream? stream = null;
            try
            {
                stream = _files.CreateNew(tempPath);
                _files.Write(stream, content);
                _files.FlushToDisk(stream);
                _files.Close(stream);
                stream = null;
                _files.Replace(tempPath, path);
                tempPath = null;
                _logger.LogDebug("Wrote {Path} ({Bytes} bytes) atomically.", path, content.Length);
            }
            finally
            {
                if (stream != null) TryClose(stream);
                if (tempPath != null) TryDelete(tempPath);
            }
        }

        /// <summary>Deletes temporary files a crashed writer left beside <paramref name="path"/>.</summary>
        public void DeleteStaleTempFiles(string path)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var stale in _files.GetFiles(directory, Path.GetFileName(path) + ".*" + TempSuffix))
            {
                if (TryDelete(stale)) _logger.LogDebug("Deleted the leftover temporary file {Path}.", stale);
            }
        }

        private void TryClose(Stream stream)
        {
            try { _files.Close(stream); } catch (Exception) { /* already failing: keep the first error */ }
        }

        private bool TryDelete(string path)
        {
            try { _files.Delete(path); return true; } catch (Exception) { return false; }
        }
    }
}
