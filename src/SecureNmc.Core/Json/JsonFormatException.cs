using System;

namespace SecureNmc.Core.Json
{
    /// <summary>A document that is not valid JSON or does not have the shape its reader requires.</summary>
    public sealed class JsonFormatException : FormatException
    {
        public JsonFormatException(string message, int line = 0)
            : base(line > 0 ? $"Invalid JSON at line {line}: {message}." : $"Invalid JSON: {message}.") { }

        /// <summary>A problem at a known place: "Invalid JSON at line 3, column 17: ...".</summary>
        public JsonFormatException(string message, int line, int column)
            : base($"Invalid JSON at line {line}, column {column}: {message}.") { }
    }
}
