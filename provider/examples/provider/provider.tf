terraform {
  required_providers {
    accessflow = {
      source = "registry.accessflow.dev/accessflow/accessflow"
    }
  }
}

# endpoint and api_key default to ACCESSFLOW_ENDPOINT and ACCESSFLOW_API_KEY.
provider "accessflow" {
  endpoint = "https://accessflow.example.com"
}
