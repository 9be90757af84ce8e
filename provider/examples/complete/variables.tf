variable "db_host" {
  type    = string
  default = "127.0.0.1"
}

variable "db_port" {
  type    = number
  default = 5432
}

variable "db_name" {
  type    = string
  default = "shop"
}

variable "db_username" {
  type    = string
  default = "accessflow_reader"
}

variable "db_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "ai_endpoint" {
  type    = string
  default = "http://127.0.0.1:11434"
}

variable "ai_api_key" {
  description = "Key of the model service; none for a local Ollama."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}
