using System;
using System.IO;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// Writes an export file whole or not at all: into a temporary file (owner-only on Unix, as a
    /// bundle holds encrypted credentials) beside the target, flushed to disk, then renamed into
    /// place. An existing file is refused unless <c>force</c>; the check is repeated at the rename,
    /// so a file that appears meanwhile is not overwritten either.
    /// </summary>
    internal static class ExportFileWriter
    {
        public static void CheckTarget(string path, bool force)
        {
            var folder = Path.GetDirectoryName(path);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
                throw new DataExchangeException(DataExchangeError.FolderMissing, $"The folder '{folder}' for the export file does not exist; create it or choose another -Path.");
            if (Directory.Exists(path))
                throw new DataExchangeException(DataExchangeError.FileExists, $"'{path}' is a folder; give a file name for the export.");
            if (File.Exists(path) && !force)
                throw new DataExchangeException(DataExchangeError.FileExists, $"The file '{path}' already exists and was not changed. Use -Force to replace it, or choose another -Path.");
        }

        public static void Write(string path, bool force, Action<Stream> write)
        {
            path = Path.GetFullPath(path);
            CheckTarget(path, force);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = UnixFilePermissions.CreateOwnerOnlyFile(temp, 1 << 16))
                {
                    write(stream);
                    stream.Flush(true);
                }
                if (File.Exists(path))
                {
                    if (!force) throw new DataExchangeException(DataExchangeError.FileExists, $"The file '{path}' appeared while the export was written and was not changed. Use -Force to replace it.");
                    File.Replace(temp, path, null);
                }
                else
                {
                    try { File.Move(temp, path); }
                    catch (IOException) when (File.Exists(path) && !force)
                    {
                        throw new DataExchangeException(DataExchangeError.FileExists, $"The file '{path}' appeared while the export was written and was not changed. Use -Force to replace it.");
                    }
                }
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
