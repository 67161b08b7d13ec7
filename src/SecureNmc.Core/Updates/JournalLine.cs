using SecureNmc.Core.Json;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Formats a <see cref="JournalRecord"/> as one journal line: the same names, order and
    /// omissions as its data contract (so <see cref="UpdateJournal.ReadAll(string)"/> reads it with
    /// the contract serializer), written by hand because the serializer's reflection cost showed up
    /// as a hot spot with a hundred cards reporting at once.
    /// </summary>
    internal static class JournalLine
    {
        public static string Format(JournalRecord r)
        {
            var w = new JsonWriter(indented: false, capacity: 256);
            w.BeginInlineObject();
            w.Property("time", r.Time);
            w.Property("run", r.RunId);
            w.Property("kind", r.Kind);
            w.OptionalProperty("device", r.DeviceId);
            w.OptionalProperty("name", r.DeviceName);
            w.OptionalProperty("host", r.Host);
            w.OptionalProperty("status", r.Status);
            OptionalNumber(w, "attempt", r.Attempt);
            OptionalNumber(w, "step", r.Step);
            OptionalNumber(w, "steps", r.Steps);
            w.OptionalProperty("from", r.From);
            w.OptionalProperty("to", r.To);
            w.OptionalProperty("package", r.Package);
            w.OptionalProperty("reached", r.Reached);
            w.OptionalProperty("outcome", r.Outcome);
            w.OptionalProperty("backup", r.BackupPath);
            w.OptionalProperty("detail", r.Detail);
            OptionalNumber(w, "durationMs", r.DurationMs);
            OptionalNumber(w, "cards", r.Cards);
            w.EndInlineObject();
            return w.ToString() + "\n";
        }

        // The contract omits default values (EmitDefaultValue = false); so does this.
        private static void OptionalNumber(JsonWriter w, string name, long value)
        {
            if (value != 0) w.Property(name, value);
        }
    }
}
