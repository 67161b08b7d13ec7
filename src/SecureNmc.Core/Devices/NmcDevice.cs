using System;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// One card in the inventory: how to reach it, and the facts the last query found.
    /// The password is only ever held encrypted (<see cref="ProtectedPassword"/>).
    /// </summary>
    public sealed class NmcDevice
    {
        public const int DefaultScpPort = 22;
        public const int DefaultFtpPort = 21;

        /// <summary>Stable identity, so renames and host changes keep history (journal, backups, licences).</summary>
        public Guid Id { get; set; } = Guid.NewGuid();

        /// <summary>IPv4 address, FQDN or host name (validated by <see cref="HostNameValidator"/>).</summary>
        public string Host { get; set; } = "";
        public TransferProtocol Protocol { get; set; } = TransferProtocol.Scp;
        public int Port { get; set; } = DefaultScpPort;

        /// <summary>Display name; defaults to the host.</summary>
        public string Name { get; set; } = "";

        /// <summary>
        /// Where the card sits (a site, room or worker's share): what a fleet is split by when
        /// several workers each update their own part (Get-NmcDevice -Site). Null = none given.
        /// </summary>
        public string? Site { get; set; }

        public string? UserName { get; set; }

        /// <summary>The password encrypted for the current user (DPAPI / key file + AEAD); null = none stored.</summary>
        public string? ProtectedPassword { get; set; }

        public bool HasStoredCredential => !string.IsNullOrEmpty(UserName) && ProtectedPassword != null;

        // SSH trust settings for this card.
        public bool AllowLegacySsh { get; set; }
        public string? PinnedHostKeyFingerprint { get; set; }

        // Facts filled by a query.
        public string? Model { get; set; }
        public string? SerialNumber { get; set; }
        public string? MacAddress { get; set; }
        public string? HardwareRevision { get; set; }
        public ApplicationType? ApplicationType { get; set; }
        public string? AosVersion { get; set; }
        public string? ApplicationVersion { get; set; }
        public string? BootloaderVersion { get; set; }
        public string? SystemName { get; set; }
        public string? SystemContact { get; set; }
        public string? SystemLocation { get; set; }
        public DateTimeOffset? LastQueried { get; set; }

        public DeviceStatus Status { get; set; } = DeviceStatus.Unknown;

        /// <summary>Why the status is what it is, when that needs saying (the specific reason of an error).</summary>
        public string? StatusDetail { get; set; }

        /// <summary>
        /// Set with an update run's result (Update Complete, Update Error): the planner's verdict for the
        /// card as it was then (<see cref="Updates.DeviceStatusResolver.BasisOf"/>). The result stays
        /// shown while the planner's verdict is the same; once the facts change (a newer package is
        /// imported, a licence ends), the planner's status is shown instead. Null for every other status.
        /// </summary>
        public string? StatusBasis { get; set; }

        public DateTimeOffset Added { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>
        /// Counts the saved changes of this record: the inventory adds one on every change it stores
        /// (query, update result, edit). A copy handed over in a bundle keeps it.
        /// </summary>
        public long Revision { get; set; }

        /// <summary>
        /// The <see cref="Revision"/> the record had when it last came in from a bundle (the hand-over
        /// from a controller, or the results coming back from a worker); null for a card never handed
        /// over. When a worker's results are imported, a card whose record changed here AND on the
        /// worker since then is a conflict (updated from two places) rather than something to overwrite.
        /// </summary>
        public long? BaseRevision { get; set; }

        /// <summary>
        /// On the controller: the worker this card was handed over to (Export-NmcBundle -HandOverTo),
        /// until that worker's results are imported or the card is taken back (Set-NmcDevice -TakeBack).
        /// While set, the card is "in flight": this inventory does not update or query it itself.
        /// Bookkeeping of this inventory only: setting or clearing it does not count as a change of the
        /// record (<see cref="Revision"/>), and a bundle never carries it.
        /// </summary>
        public string? HandedOverTo { get; set; }

        /// <summary>When the card was handed over to <see cref="HandedOverTo"/> (UTC); null when not in flight.</summary>
        public DateTimeOffset? HandedOverAt { get; set; }

        /// <summary>True while the card is handed over to a worker and its results have not come back.</summary>
        public bool IsInFlight => HandedOverTo != null;

        public string DisplayName => string.IsNullOrEmpty(Name) ? Host : Name;

        public override string ToString() => DisplayName;

        public NmcDevice Clone() => (NmcDevice)MemberwiseClone();
    }
}
