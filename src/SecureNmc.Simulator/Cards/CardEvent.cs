using System;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>One event-log entry (event.txt row).</summary>
    public sealed class CardEvent
    {
        public CardEvent(DateTime time, string code, string text)
        {
            Time = time;
            Code = code;
            Text = text;
        }

        public DateTime Time { get; }

        /// <summary>"0x0078".</summary>
        public string Code { get; }
        public string Text { get; }

        public const string FirmwareUpdatedText = "Firmware Updated.";
        public const string FirmwareUpdatedCode = "0x0078";
    }
}
