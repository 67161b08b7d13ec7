using System.Runtime.Serialization;

namespace SecureNmc.Core.Updates
{
    /// <summary>One line of the update journal (JSON, one object per line). Names are the on-disk names.</summary>
    [DataContract]
    public sealed class JournalRecord
    {
        public const string RunStartedKind = "run-started";
        public const string CardKind = "card";
        public const string CardFinishedKind = "card-finished";
        public const string RunFinishedKind = "run-finished";

        [DataMember(Name = "time", Order = 0)] public string Time { get; set; } = "";
        [DataMember(Name = "run", Order = 1)] public string RunId { get; set; } = "";
        [DataMember(Name = "kind", Order = 2)] public string Kind { get; set; } = CardKind;
        [DataMember(Name = "device", Order = 3, EmitDefaultValue = false)] public string? DeviceId { get; set; }
        [DataMember(Name = "name", Order = 4, EmitDefaultValue = false)] public string? DeviceName { get; set; }
        [DataMember(Name = "host", Order = 5, EmitDefaultValue = false)] public string? Host { get; set; }
        /// <summary>DeviceStatus enum name.</summary>
        [DataMember(Name = "status", Order = 6, EmitDefaultValue = false)] public string? Status { get; set; }
        [DataMember(Name = "attempt", Order = 7, EmitDefaultValue = false)] public int Attempt { get; set; }
        [DataMember(Name = "step", Order = 8, EmitDefaultValue = false)] public int Step { get; set; }
        [DataMember(Name = "steps", Order = 9, EmitDefaultValue = false)] public int Steps { get; set; }
        [DataMember(Name = "from", Order = 10, EmitDefaultValue = false)] public string? From { get; set; }
        [DataMember(Name = "to", Order = 11, EmitDefaultValue = false)] public string? To { get; set; }
        [DataMember(Name = "package", Order = 12, EmitDefaultValue = false)] public string? Package { get; set; }
        [DataMember(Name = "reached", Order = 13, EmitDefaultValue = false)] public string? Reached { get; set; }
        [DataMember(Name = "outcome", Order = 14, EmitDefaultValue = false)] public string? Outcome { get; set; }
        [DataMember(Name = "backup", Order = 15, EmitDefaultValue = false)] public string? BackupPath { get; set; }
        [DataMember(Name = "detail", Order = 16, EmitDefaultValue = false)] public string? Detail { get; set; }
        [DataMember(Name = "durationMs", Order = 17, EmitDefaultValue = false)] public long DurationMs { get; set; }
        [DataMember(Name = "cards", Order = 18, EmitDefaultValue = false)] public int Cards { get; set; }
    }
}
