using System;

namespace SecureNmc.Core.Storage
{
    /// <summary>Base of every error about a file SecureNmc keeps in its data folder.</summary>
    public class StoreException : Exception
    {
        public StoreException(string message, string filePath, Exception? inner = null) : base(message, inner) => FilePath = filePath;

        /// <summary>The file the error is about.</summary>
        public string FilePath { get; }
    }

    /// <summary>Another session held the lock for longer than the bounded wait.</summary>
    public sealed class StoreLockTimeoutException : StoreException
    {
        public StoreLockTimeoutException(string lockFilePath, string whatIsLocked, TimeSpan timeout, Exception? inner = null)
            : base($"Timed out after {timeout.TotalSeconds:0.#} s waiting for another SecureNmc session to finish writing the {whatIsLocked} " +
                   $"(lock file '{lockFilePath}'). Wait for the other PowerShell session or runbook to finish and try again; " +
                   "if no other session is running, check that the data folder is on a local disk that supports file locks.", lockFilePath, inner)
        {
            Timeout = timeout;
        }

        public TimeSpan Timeout { get; }
    }

    /// <summary>A stored file cannot be read: damaged, edited by hand into invalid content, or written by a newer version.</summary>
    public sealed class StoreCorruptException : StoreException
    {
        public StoreCorruptException(string filePath, string whatIsStored, string problem, Exception? inner = null)
            : base($"The {whatIsStored} file '{filePath}' cannot be read: {problem.TrimEnd('.')}. SecureNmc has not changed it and will not write to it " +
                   $"until it is fixed. Repair the file, restore it from a backup, or move it aside to start with an empty {whatIsStored}.", filePath, inner)
        {
            Problem = problem.TrimEnd('.');
        }

        /// <summary>What exactly is wrong (line and position when known).</summary>
        public string Problem { get; }
    }
}
