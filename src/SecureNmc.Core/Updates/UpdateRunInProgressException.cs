using System.IO;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Another process holds the data folder's update journal: its run is still going. Derived from
    /// IOException, which is how callers already treat "the journal cannot be opened".
    /// </summary>
    public sealed class UpdateRunInProgressException : IOException
    {
        public UpdateRunInProgressException(string journalPath, string? owner)
            : base($"Another firmware update is running on this data folder ({owner ?? "owner unknown"}); its journal is {journalPath}. " +
                   "Two runs at once would interleave their journal records and could flash the same card twice, so this one was not started. " +
                   "Wait for that run to finish (or stop it with Stop-NmcFirmwareUpdate in its session), then run this again.")
        {
            JournalPath = journalPath;
            Owner = owner;
        }

        public string JournalPath { get; }

        /// <summary>The running process as it described itself (process id, machine, user, start time), when known.</summary>
        public string? Owner { get; }
    }
}
